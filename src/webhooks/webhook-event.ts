import type { DataOf, Fact, FactClass } from '../database/fact.js';

/** Every event says whom it is about; nothing in it may be a secret (no token, no password). */
export interface WebhookData {
  userId: string;
  email: string;
}

/**
 * One public event type: its name (the payload's `type`, the job name and the `type` label in
 * metrics) and the fact it reports, mapped to the payload's `data` (by default the fact's data as
 * it is). A mapping that answers null publishes nothing for that fact.
 */
export interface WebhookEvent<Name extends string = string, F extends Fact = Fact, Data extends WebhookData = WebhookData> {
  readonly type: Name;
  readonly on: FactClass<F>;
  readonly data?: (fact: F) => Data | null;
}

/**
 * Declares an event type beside the fact it reports, in the module's `<module>.webhooks.ts`:
 * `webhookEvent('user.registered', UserRegistered)`, or with a mapping of the fact to the payload's `data`.
 */
export function webhookEvent<const Name extends string, F extends Fact<WebhookData>>(
  type: Name,
  on: FactClass<F>,
): WebhookEvent<Name, F, DataOf<F>>;
export function webhookEvent<const Name extends string, F extends Fact, Data extends WebhookData>(
  type: Name,
  on: FactClass<F>,
  data: (fact: F) => Data | null,
): WebhookEvent<Name, F, Data>;
export function webhookEvent(type: string, on: FactClass, data?: (fact: Fact) => WebhookData | null): WebhookEvent {
  return { type, on, data };
}

/** An event type with its fact and data types erased, for code that handles every type alike. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each type's data is its own
export type AnyWebhookEvent = WebhookEvent<string, any, any>;

/** The JSON body of every delivery. `timestamp` is when the change happened (ISO 8601, UTC). */
export interface WebhookPayload<Name extends string = string, Data extends WebhookData = WebhookData> {
  type: Name;
  timestamp: string;
  data: Data;
}
