import { Logger } from '@nestjs/common';
import type pg from 'pg';
import type { RequestContext } from '../common/request-context.js';
import type { Fact } from './fact.js';
import type { FactBus, Receipt } from './fact-bus.js';
import { runPrepared, type Statement } from './statement.js';

const logger = new Logger('Transaction');

/**
 * An open transaction: the module that owns a change writes its tables through its repository
 * (`repository.x(tx, …)`) and records what happened (`tx.record(fact)`); the subscribers of the
 * fact write theirs in the same transaction. `context` names the request that caused it.
 */
export class Tx {
  private readonly onCommit: Array<() => void> = [];

  constructor(
    readonly context: RequestContext,
    private readonly client: pg.PoolClient,
    private readonly facts: FactBus,
  ) {}

  query<T>(statement: Statement, values: unknown[]): Promise<T[]> {
    return runPrepared<T>(this.client, statement, values);
  }

  /** Records facts (of one class or several, in order): their in-transaction subscribers run now, the others after the commit. */
  record(...facts: Fact[]): Promise<Receipt> {
    return this.facts.record(this, facts);
  }

  /** Runs `callback` after the commit (never after a rollback); for work outside the database, such as waking the relay. */
  afterCommit(callback: () => void): void {
    this.onCommit.push(callback);
  }

  /** @internal called by DatabaseService once the commit succeeded. */
  committed(): void {
    for (const callback of this.onCommit.splice(0)) {
      try {
        callback();
      } catch (error) {
        logger.warn(`Work after a commit failed: ${(error as Error).message}`);
      }
    }
  }
}
