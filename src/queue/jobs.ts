/** The one place that names queues and their job payloads. Payloads carry ids only, never a secret.
 * Job ids: outboxJobId (queue/outbox-relay.ts). */
export const MAIL_QUEUE = 'mail';

/** Every mail job, whatever its kind (the job's name is the kind's name). */
export interface MailJobData {
  outboxId: string;
  /** The HTTP request that asked for the email, to follow it through the logs. */
  requestId?: string;
}

export const WEBHOOKS_QUEUE = 'webhooks';

/** One webhook delivery (the job's name is the event type); a job of an older generation is skipped. */
export interface WebhookJobData {
  deliveryId: string;
  generation: number;
}
