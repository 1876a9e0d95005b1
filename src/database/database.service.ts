import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { runPrepared, type Statement } from './statement.js';
import { Tx } from './tx.js';

/**
 * Transactions that other modules can join, and prepared statements for the hot paths. Both run on
 * a connection from TypeORM's pool, taken through the public QueryRunner API.
 */
@Injectable()
export class DatabaseService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction; callbacks registered with `tx.afterCommit` run once it committed. */
  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.withConnection(async (runner, client) => {
      await runner.startTransaction();
      const tx = new Tx(runner.manager, client);
      let result: T;
      try {
        result = await work(tx);
        await runner.commitTransaction();
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
      tx.committed();
      return result;
    });
  }

  /** One prepared statement on its own (autocommit). */
  query<T>(statement: Statement, values: unknown[]): Promise<T[]> {
    return this.withConnection(async (_runner, client) => runPrepared<T>(client, statement, values));
  }

  private async withConnection<T>(use: (runner: QueryRunner, client: pg.PoolClient) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as pg.PoolClient;
      return await use(runner, client);
    } finally {
      await runner.release();
    }
  }
}
