import type pg from 'pg';
import type { EntityManager } from 'typeorm';
import { runPrepared, type Statement } from './statement.js';

/**
 * An open transaction, handed by the module that owns the change to the services of other modules
 * (Mail, Tokens) so that their writes commit or roll back with it. Each module still writes only
 * its own tables.
 */
export class Tx {
  private readonly onCommit: Array<() => void> = [];

  constructor(
    /** For TypeORM repositories and query builders inside the transaction. */
    readonly manager: EntityManager,
    private readonly client: pg.PoolClient,
  ) {}

  query<T>(statement: Statement, values: unknown[]): Promise<T[]> {
    return runPrepared<T>(this.client, statement, values);
  }

  /** Runs `callback` after the commit (never after a rollback); for work outside the database, such as waking the relay. */
  afterCommit(callback: () => void): void {
    this.onCommit.push(callback);
  }

  /** @internal called by DatabaseService once the commit succeeded. */
  committed(): void {
    for (const callback of this.onCommit.splice(0)) callback();
  }
}
