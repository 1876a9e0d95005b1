/**
 * Something that happened, recorded once, in the transaction that made it happen:
 * `tx.record(new PasswordChanged({ userId, email, how }))`. Emails, webhooks, the credentials
 * policy and metrics follow from it through their subscriptions (see FactBus). Each module lists
 * its facts in one `<module>.facts.ts` file; `data` holds ids and addresses, never a secret.
 */
export abstract class Fact<Data extends object = object> {
  constructor(readonly data: Readonly<Data>) {}
}

/**
 * Something observed that changed no state (a send attempt failed, a batch was purged): no
 * transaction records it; `facts.observe(...)` hands it to after-commit subscribers (metrics) at once.
 */
export abstract class ObservedFact<Data extends object = object> extends Fact<Data> {}

/** A fact's class: what subscribers name, and the key they are found by. (`never`: any fact class, whatever its data.) */
export type FactClass<F extends Fact = Fact> = new (data: never) => F;

export type DataOf<F> = F extends Fact<infer Data> ? Data : never;

/** For start-up messages: the class name. */
export const factName = (fact: FactClass | Fact): string => (typeof fact === 'function' ? fact.name : fact.constructor.name);
