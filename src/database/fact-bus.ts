import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { RequestContext } from '../common/request-context.js';
import { composeStatement, type ColumnOf, type ComposedStatement, type Relation, type StatementPart } from './composed-statement.js';
import { factName, ObservedFact, type DataOf, type Fact, type FactClass } from './fact.js';
import type { AfterCommitSubscriber, HeldUntil, InTransactionSubscriber } from './fact-subscriber.js';
import { FACT_HANDLERS, type FactHandlerMetadata } from './on-fact.decorator.js';
import type { Tx } from './tx.js';

/** Every fact the process knows, as the entry point lists them (one `<module>.facts.ts` list per module). */
export const FACT_CLASSES = Symbol('fact-classes');

/** What recording facts answered: the latest time a reaction was held back until (an email within its cooldown), or null. */
export interface Receipt {
  heldUntil: Date | null;
}

/** One fact a composed statement records for each row of its source where the `when` column is true. */
export interface RowFact<Row extends object> {
  readonly fact: FactClass;
  readonly when: ColumnOf<Row, boolean>;
  readonly columns: Readonly<Record<string, string>>;
}

/** Declares a RowFact, typed: each data field of the fact is read from a column of the same type. */
export const rowFact = <Row extends object, F extends Fact>(
  _source: Relation<Row>,
  fact: FactClass<F>,
  when: ColumnOf<Row, boolean>,
  columns: { [K in keyof DataOf<F>]-?: ColumnOf<Row, DataOf<F>[K]> },
): RowFact<Row> => ({ fact: fact, when, columns });

/**
 * Facts and their subscribers. A service records what happened in its transaction
 * (`tx.record(fact)`); the subscribers of that fact run inside the transaction (emails, webhooks,
 * voided credentials) or after its commit (metrics). Subscribers are found on every provider
 * (`@InTransaction`, `@AfterCommit`) or added by Mail and Webhooks from their registries; at
 * start-up a fact nobody handles, or a handler of a fact the process does not list, stops it.
 */
@Injectable()
export class FactBus implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(FactBus.name);
  private readonly known: ReadonlySet<FactClass>;
  private readonly inTransaction = new Map<FactClass, InTransactionSubscriber[]>();
  private readonly afterCommit = new Map<FactClass, AfterCommitSubscriber[]>();

  constructor(
    @Inject(FACT_CLASSES) facts: readonly FactClass[],
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {
    this.known = new Set(facts);
    if (this.known.size !== facts.length) throw new Error('A fact is listed twice');
  }

  subscribeInTransaction<F extends Fact>(subscriber: InTransactionSubscriber<F>): void {
    this.add(this.inTransaction, subscriber);
  }

  subscribeAfterCommit<F extends Fact>(subscriber: AfterCommitSubscriber<F>): void {
    this.add(this.afterCommit, subscriber);
  }

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      // Instances of classes only: values and factories' products carry no handler decorators.
      if (!instance || typeof instance !== 'object' || wrapper.isNotMetatype) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handlers = Reflect.getMetadata(FACT_HANDLERS, prototype, method) as FactHandlerMetadata[] | undefined;
        for (const { fact, phase } of handlers ?? []) this.subscribeMethod(instance, method, fact, phase);
      }
    }
  }

  /** A fact nobody reacts to, or a reaction to a fact this process does not know, is a half-added fact: refuse to start. */
  onApplicationBootstrap(): void {
    for (const fact of this.known) {
      if (!this.inTransaction.has(fact) && !this.afterCommit.has(fact))
        throw new Error(`Nothing handles the fact ${factName(fact)}: subscribe to it, or remove it from its module's facts`);
    }
    for (const fact of [...this.inTransaction.keys(), ...this.afterCommit.keys()]) {
      if (!this.known.has(fact)) throw new Error(`A handler subscribes to ${factName(fact)}, which no module lists among its facts`);
    }
    for (const [fact, subscribers] of this.inTransaction) {
      if (fact.prototype instanceof ObservedFact)
        throw new Error(`${subscribers[0].name} reacts to ${factName(fact)} in a transaction, but it is observed, never recorded`);
    }
  }

  /** Runs the in-transaction subscribers of `facts` (all of one class or several) and schedules the after-commit ones. */
  async record(tx: Tx, facts: readonly Fact[]): Promise<Receipt> {
    let heldUntil: Date | null = null;
    for (const [fact, ofClass] of this.byClass(facts)) {
      if (fact.prototype instanceof ObservedFact) throw new Error(`${factName(fact)} is observed (facts.observe), not recorded`);
      for (const subscriber of this.inTransaction.get(fact) ?? []) {
        const held: HeldUntil = await subscriber.handle(ofClass, tx);
        if (held && (!heldUntil || held > heldUntil)) heldUntil = held;
      }
      tx.afterCommit(() => this.runAfterCommit(fact, ofClass));
    }
    return { heldUntil };
  }

  /**
   * A fact recorded by no transaction (a send attempt failed, a job was held back): only
   * after-commit subscribers may react to it, and do at once.
   */
  observe(fact: ObservedFact): void {
    const [[cls, facts]] = this.byClass([fact]);
    this.runAfterCommit(cls, facts);
  }

  /**
   * A statement of one leading part (whose CTE `source` holds the rows) and the in-transaction
   * reactions to `facts` as parts of the same statement: one round trip, committed as a whole.
   * Every in-transaction subscriber of those facts must be able to run as a part. After the run,
   * the after-commit subscribers get the facts the returned rows say happened.
   */
  compose<Input extends object, Row extends object>(
    name: string,
    leading: StatementPart<Input>,
    source: Relation<Row>,
    facts: ReadonlyArray<RowFact<Row>>,
  ): ComposedStatement<Input & { context: RequestContext }> {
    const parts: Array<StatementPart<Input & { context: RequestContext }>> = [leading];
    for (const { fact, when, columns } of facts) {
      if (!this.known.has(fact)) throw new Error(`${name}: ${factName(fact)} is not listed among the facts`);
      for (const subscriber of this.inTransaction.get(fact) ?? []) {
        if (!subscriber.fromRows)
          throw new Error(`${name}: ${subscriber.name} cannot react to ${factName(fact)} within a composed statement`);
        parts.push(...subscriber.fromRows({ source: source.name, when, columns, prefix: `p${parts.length}_` }));
      }
    }
    const selected = [...new Set(facts.flatMap(({ when, columns }) => [when, ...Object.values(columns)]))];
    const select = `SELECT ${selected.map((c) => `"${c}"`).join(', ')} FROM "${source.name}"`;
    return composeStatement(name, parts, select, (rows) => {
      for (const { fact, when, columns } of facts) {
        const happened = rows.filter((row) => row[when] === true).map((row) => new fact(dataOf(row, columns)));
        if (happened.length > 0) this.runAfterCommit(fact, happened);
      }
    });
  }

  private runAfterCommit(fact: FactClass, facts: readonly Fact[]): void {
    for (const subscriber of this.afterCommit.get(fact) ?? []) {
      const failed = (error: Error) => this.logger.warn(`${subscriber.name} failed after ${factName(fact)} committed: ${error.message}`);
      try {
        void Promise.resolve(subscriber.handle(facts)).catch(failed);
      } catch (error) {
        failed(error as Error);
      }
    }
  }

  private byClass(facts: readonly Fact[]): Map<FactClass, Fact[]> {
    const groups = new Map<FactClass, Fact[]>();
    for (const fact of facts) {
      const cls = fact.constructor as FactClass;
      if (!this.known.has(cls)) throw new Error(`${factName(cls)} is not listed among the facts`);
      groups.set(cls, [...(groups.get(cls) ?? []), fact]);
    }
    return groups;
  }

  private subscribeMethod(instance: Record<string, unknown>, method: string, fact: FactClass, phase: FactHandlerMetadata['phase']): void {
    const name = `${instance.constructor.name}.${method}`;
    const handler = (instance[method] as (...args: unknown[]) => unknown).bind(instance);
    if (phase === 'in-transaction') {
      this.subscribeInTransaction({ name, fact, handle: async (facts, tx) => heldUntil(await handler(facts, tx)) });
    } else {
      this.subscribeAfterCommit({ name, fact, handle: (facts) => handler(facts) as void | Promise<void> });
    }
  }

  private add<S extends { fact: FactClass }>(map: Map<FactClass, S[]>, subscriber: S): void {
    map.set(subscriber.fact, [...(map.get(subscriber.fact) ?? []), subscriber]);
  }
}

const dataOf = (row: Record<string, unknown>, columns: Readonly<Record<string, string>>): never =>
  Object.fromEntries(Object.entries(columns).map(([field, column]) => [field, row[column]])) as never;

/** A handler's answer: a Date is when its held-back reaction may happen; anything else, nothing held. */
const heldUntil = (answer: unknown): HeldUntil => (answer instanceof Date ? answer : undefined);
