/** One type of webhook event; `Data` is the type of its payload's `data`, checked where it is published. */
export interface WebhookEvent<Name extends string = string, Data extends WebhookData = WebhookData> {
  name: Name;
  /** Type-only: never set. */
  readonly __data?: Data;
}

/** Every event says whom it is about; nothing in it may be a secret (no token, no password). */
export interface WebhookData {
  userId: string;
  email: string;
}

/**
 * Declares an event type: `defineWebhookEvent<{ userId: string; email: string }>()('user.registered')`.
 * The name is the payload's `type`, the job name and the `type` label in metrics (at most 64 characters).
 */
export const defineWebhookEvent =
  <Data extends WebhookData>() =>
  <const Name extends string>(name: Name): WebhookEvent<Name, Data> => ({ name });

export type DataOf<E> = E extends WebhookEvent<string, infer Data> ? Data : never;

/** The JSON body of every delivery. `timestamp` is when the change happened (ISO 8601, UTC). */
export interface WebhookPayload<Name extends string = string, Data extends WebhookData = WebhookData> {
  type: Name;
  timestamp: string;
  data: Data;
}
