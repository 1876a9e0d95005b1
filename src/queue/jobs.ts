/** The one place that names queues, jobs and their payloads. Payloads carry ids only. */
export const MAIL_QUEUE = 'mail';

export enum MailJob {
  SendConfirmation = 'send-confirmation',
}

export type MailKind = 'confirmation';

export interface MailJobPayloads {
  /** requestId: the HTTP request that asked for the email, to follow it through the logs. */
  [MailJob.SendConfirmation]: { outboxId: string; requestId?: string };
}

export type MailJobName = keyof MailJobPayloads;

/** Derived from the outbox id so a record is never enqueued twice. */
export const outboxJobId = (outboxId: string) => `outbox-${outboxId}`;
