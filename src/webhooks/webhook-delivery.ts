import type { WebhookPayload } from './webhook-event.js';

/** `pending`: waiting, retrying, or held while its endpoint is disabled; then `sent` or `failed`. */
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event for one endpoint: a row of webhook_deliveries. Its id is the `webhook-id` header, the same on every attempt. */
export interface WebhookDelivery {
  id: string;
  type: string;
  endpoint: string;
  /** The body sent: `{type, timestamp, data}`. */
  payload: WebhookPayload;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  generation: number;
  createdAt: Date;
  deliveredAt: Date | null;
}
