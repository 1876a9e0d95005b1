import { Fact, ObservedFact } from '../database/fact.js';

/** SES accepted an email (recorded with the outbox row's `sent_at`). */
export class EmailSent extends Fact<{
  kind: string;
  userId: string;
  sentAt: Date;
  /** When the email was asked for (the outbox row's creation), for the send latency. */
  requestedAt: Date;
}> {}

/** An email was given up for good: a permanent SES error, attempts used up, or a suppressed address. */
export class EmailFailed extends Fact<{ kind: string; userId: string; email: string; reason: string }> {}

/** One SES call failed, whether or not it will be retried. */
export class EmailAttemptFailed extends ObservedFact<{ kind: string; reason: string }> {}

/** An email to a never-seen address waits: the new-address breaker is tripped. */
export class EmailHeldBack extends ObservedFact<{ kind: string }> {}

export const MAIL_FACTS = [EmailSent, EmailFailed, EmailAttemptFailed, EmailHeldBack];
