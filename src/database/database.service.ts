import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import type { RequestContext } from '../common/request-context.js';
import type { ComposedStatement } from './composed-statement.js';
import { FactBus } from './fact-bus.js';
import { parameterCount, runPrepared, statement, type Statement } from './statement.js';
import { Tx } from './tx.js';

const PING = statement('database.ping', 'SELECT 1');

/**
 * The one way to PostgreSQL: prepared statements, alone (autocommit) or in a transaction that
 * records facts, and composed statements. Repositories call it; services never hold SQL. It runs on
 * a connection from TypeORM's pool (TypeORM also runs the migrations).
 */
@Injectable()
export class DatabaseService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly facts: FactBus,
  ) {}

  /** Runs `work` in one transaction; what it records reaches the after-commit subscribers once it committed. */
  async transaction<T>(context: RequestContext, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.withConnection(async (runner, client) => {
      await runner.startTransaction();
      const tx = new Tx(context, client, this.facts);
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
  async run<T, Input>(composed: ComposedStatement<Input>, input: Input): Promise<T[]> {
    const rows = await this.query<T & Record<string, unknown>>(composed.statement, composed.bind(input));
    composed.afterRun(rows);
    return rows;
  }

  /** Resolves when PostgreSQL answers (for /health). */
  async ping(): Promise<void> {
    await this.query(PING, []);
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
