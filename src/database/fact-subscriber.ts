import type { RequestContext } from '../common/request-context.js';
import type { StatementPart } from './composed-statement.js';
import type { Fact, FactClass } from './fact.js';
import type { Tx } from './tx.js';

/**
 * Reacts to a fact inside the transaction that records it: its writes commit or roll back with the
 * change (an email in the outbox, a webhook delivery, voided credentials). May answer that its
 * reaction was held back until a time (an email within its cooldown).
 */
export interface InTransactionSubscriber<F extends Fact = Fact> {
  /** For start-up messages: "email confirmation", "webhook user.registered". */
  readonly name: string;
  readonly fact: FactClass<F>;
  handle(facts: readonly F[], tx: Tx): Promise<HeldUntil>;
  /** The same reaction as parts of a composed statement (see FactBus.compose), where it can be. */
  fromRows?(rows: FactRows): Array<StatementPart<{ context: RequestContext }>>;
}

/** Reacts once the change committed (never after a rollback): metrics, waking a relay. Never fails the change. */
export interface AfterCommitSubscriber<F extends Fact = Fact> {
  readonly name: string;
  readonly fact: FactClass<F>;
  handle(facts: readonly F[]): void | Promise<void>;
}

/** When a reaction may happen again, if it was held back now. */
export type HeldUntil = Date | undefined;

/**
 * Where a composed statement's facts are: the relation `source` (a CTE of an earlier part), whose
 * boolean column `when` says the fact happened for that row, and the column of each data field.
 * `prefix` keeps the CTE names of one part apart from another's.
 */
export interface FactRows {
  readonly source: string;
  readonly when: string;
  readonly columns: Readonly<Record<string, string>>;
  readonly prefix: string;
}
