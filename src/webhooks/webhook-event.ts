import type { DataOf, Fact, FactClass } from '../database/fact.js';

/**
 * Every event says whom it is about; nothing in it may be a secret (no token, no password).
 * `locale` (the user's language) is added when the delivery is written, from the user's row, unless the fact gave it.
 */
export interface WebhookData {
  userId: string;
  email: string;
  locale?: string;
}

/** The JSON Schema of one field of an event's `data` (published in the OpenAPI document's `webhooks`). */
export interface FieldSchema {
  type: 'string' | 'boolean' | 'integer';
  description: string;
  enum?: readonly string[];
  format?: 'email' | 'date-time';
}

/** A schema for each field of `data` beyond userId, email and locale: the compiler asks for every one. */
export type FieldSchemas<Data> = { [K in Exclude<keyof Data, keyof WebhookData>]-?: FieldSchema };

/**
 * One public event type: its name (the payload's `type`, the job name and the `type` label in
 * metrics), the fact it reports, mapped to the payload's `data` (by default the fact's data as it
 * is), and the schema of that data for adopters. A mapping that answers null publishes nothing for that fact.
 */
export interface WebhookEvent<Name extends string = string, F extends Fact = Fact, Data extends WebhookData = WebhookData> {
  readonly type: Name;
  readonly on: FactClass<F>;
  readonly data?: (fact: F) => Data | null;
  readonly fields: FieldSchemas<Data>;
}

type HasExtraFields<Data> = [Exclude<keyof Data, keyof WebhookData>] extends [never] ? false : true;
type FieldsOption<Data> = HasExtraFields<Data> extends true ? { fields: FieldSchemas<Data> } : { fields?: FieldSchemas<Data> };

/**
 * Declares an event type beside the fact it reports, in the module's `<module>.webhooks.ts`:
 * `webhookEvent('user.registered', UserRegistered)`, or with a mapping of the fact to the payload's
 * `data` and the schemas of the fields it adds.
 */
export function webhookEvent<const Name extends string, F extends Fact<WebhookData>>(
  type: Name,
  on: FactClass<F>,
  ...options: HasExtraFields<DataOf<F>> extends true ? [FieldsOption<DataOf<F>>] : [FieldsOption<DataOf<F>>?]
): WebhookEvent<Name, F, DataOf<F>>;
export function webhookEvent<const Name extends string, F extends Fact, Data extends WebhookData>(
  type: Name,
  on: FactClass<F>,
  options: { data: (fact: F) => Data | null } & FieldsOption<Data>,
): WebhookEvent<Name, F, Data>;
export function webhookEvent(
  type: string,
  on: FactClass,
  options: { data?: (fact: Fact) => WebhookData | null; fields?: Record<string, FieldSchema> } = {},
): WebhookEvent {
  return { type, on, data: options.data, fields: options.fields ?? {} };
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
