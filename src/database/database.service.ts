import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import type { ComposedStatement } from './composed-statement.js';
import { parameterCount, runPrepared, type Statement } from './statement.js';
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

  /** A statement composed of several modules' parts: one round trip, committed as a whole; then the parts' after-run work. */
  async run<T, Inputs extends unknown[]>(composed: ComposedStatement<Inputs>, ...inputs: Inputs): Promise<T[]> {
    const rows = await this.query<T & Record<string, unknown>>(composed.statement, composed.bind(...inputs));
    composed.afterRun(rows);
    return rows;
  }

  /**
   * Has PostgreSQL parse and plan a statement without running it (EXPLAIN, every parameter null):
   * a start-up check that SQL composed from several modules' parts fits the schema.
   */
  async check(statement: Statement): Promise<void> {
    const parameters = parameterCount(statement.text);
    await this.withConnection(async (_runner, client) => {
      try {
        await client.query(`EXPLAIN ${statement.text}`, new Array<null>(parameters).fill(null));
      } catch (error) {
        throw new Error(`Statement ${statement.name} does not fit the schema: ${(error as Error).message}`, { cause: error });
      }
    });
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
