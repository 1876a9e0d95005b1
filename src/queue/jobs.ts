/** The one place that names queues, jobs and their payloads. Payloads carry ids only. */
export const MAIL_QUEUE = 'mail';

export enum MailJob {
  SendConfirmation = 'send-confirmation',
  /** "Someone tried to sign up with your address": sent instead of a link to confirmed users. */
  SendAccountExists = 'send-account-exists',
}

export type MailKind = 'confirmation' | 'account-exists';

export const JOB_FOR_KIND: Record<MailKind, MailJob> = {
  confirmation: MailJob.SendConfirmation,
  'account-exists': MailJob.SendAccountExists,
};

export interface MailJobPayloads {
  /** requestId: the HTTP request that asked for the email, to follow it through the logs. */
  [MailJob.SendConfirmation]: { outboxId: string; requestId?: string };
  [MailJob.SendAccountExists]: { outboxId: string; requestId?: string };
}


/** Derived from the outbox id (and retry generation) so a record is never enqueued twice. */
export const outboxJobId = (outboxId: string, generation = 0) =>
  generation === 0 ? `outbox-${outboxId}` : `outbox-${outboxId}-retry-${generation}`;
