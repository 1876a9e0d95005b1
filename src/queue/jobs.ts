/** The one place that names queues and their job payloads. Payloads carry ids only, never a secret. */
export const MAIL_QUEUE = 'mail';

/** Every mail job, whatever its kind (the job's name is the kind's name). */
export interface MailJobData {
  outboxId: string;
  /** The HTTP request that asked for the email, to follow it through the logs. */
  requestId?: string;
}

/**
 * A job id names one outbox row of one database for ever: the row's UUIDv7 (and, after a manual or
 * sweep retry, its generation). A database reset or restore cannot make a new row collide with a
 * finished job that Redis still remembers.
 */
export const mailJobId = (outboxId: string, generation = 0) => (generation === 0 ? outboxId : `${outboxId}-retry-${generation}`);
