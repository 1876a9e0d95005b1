/** The one place that names queues, jobs and their payloads. Payloads carry ids only. */
export const MAIL_QUEUE = 'mail';

export enum MailJob {
  SendConfirmation = 'send-confirmation',
}

export type MailKind = 'confirmation';

export interface MailJobPayloads {
  [MailJob.SendConfirmation]: { outboxId: string };
}

export type MailJobName = keyof MailJobPayloads;

/** Derived from the outbox id so a record is never enqueued twice. */
export const outboxJobId = (outboxId: string) => `outbox-${outboxId}`;
