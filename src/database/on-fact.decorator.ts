import type { Fact, FactClass } from './fact.js';

export type Phase = 'in-transaction' | 'after-commit';

export interface FactHandlerMetadata {
  fact: FactClass;
  phase: Phase;
}

export const FACT_HANDLERS = Symbol('fact-handlers');

function onFact(fact: FactClass, phase: Phase): MethodDecorator {
  return (target, method) => {
    const handlers = (Reflect.getMetadata(FACT_HANDLERS, target, method) as FactHandlerMetadata[] | undefined) ?? [];
    Reflect.defineMetadata(FACT_HANDLERS, [...handlers, { fact, phase }], target, method);
  };
}

/**
 * `@InTransaction(EmailSent) async onSent(facts: EmailSent[], tx: Tx)`: runs inside the
 * transaction that records the fact; a failure rolls the change back. Found at start-up on any
 * provider of the process.
 */
export const InTransaction = <F extends Fact>(fact: FactClass<F>): MethodDecorator => onFact(fact, 'in-transaction');

/** `@AfterCommit(UserRegistered) onRegistered(facts: UserRegistered[])`: runs once the change committed. */
export const AfterCommit = <F extends Fact>(fact: FactClass<F>): MethodDecorator => onFact(fact, 'after-commit');
