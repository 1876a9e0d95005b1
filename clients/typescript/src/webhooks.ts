import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { webhooks } from './schema.js';

export { WebhookVerificationError };

/** The body of each event type, as the OpenAPI document's `webhooks` section declares it. */
export type WebhookEvent = {
  [Type in keyof webhooks]: webhooks[Type]['post']['requestBody'] extends { content: { 'application/json': infer Body } } ? Body : never;
}[keyof webhooks];
export type WebhookEventType = WebhookEvent['type'];

type Headers = Record<string, string | string[] | undefined> | globalThis.Headers;

/**
 * Checks a delivery's Standard Webhooks signature and age (5 minutes) with your endpoint's
 * `whsec_` secret and answers its typed body; throws `WebhookVerificationError` otherwise. Give
 * the raw body exactly as received (not re-serialised JSON).
 */
export function verifyWebhook(secret: string, rawBody: string, headers: Headers): WebhookEvent {
  const read = (name: string) => {
    const value = headers instanceof globalThis.Headers ? headers.get(name) : headers[name];
    return (Array.isArray(value) ? value[0] : value) ?? '';
  };
  const signed = {
    'webhook-id': read('webhook-id'),
    'webhook-timestamp': read('webhook-timestamp'),
    'webhook-signature': read('webhook-signature'),
  };
  return new Webhook(secret).verify(rawBody, signed) as WebhookEvent;
}
