/**
 * Domain events the Mail module emits in the worker as a send attempt settles, for every kind of
 * email (`kind` is its registered name); a kind may name events of its own too (EmailKind.events).
 */
export const MAIL_SENT = 'mail.sent';
export const MAIL_FAILED = 'mail.failed';
export const MAIL_ATTEMPT_FAILED = 'mail.attempt-failed';
/** An email to a never-seen address waits: the new-address breaker is tripped. */
export const MAIL_HELD_BACK = 'mail.held-back';

export class MailSentEvent {
  constructor(
    readonly kind: string,
    readonly userId: string,
    readonly sentAt: Date,
    /** When the email was requested (the outbox record's creation), for the send latency. */
    readonly requestedAt: Date,
    /** Emitted again for a redelivered job whose email had already gone out: state only, not a new send. */
    readonly repeated = false,
  ) {}
}

/** The email was given up for good (permanent SES error, or attempts used up). */
export class MailFailedEvent {
  constructor(
    readonly kind: string,
    readonly userId: string,
    readonly reason: string,
  ) {}
}

/** One SES call failed, whether or not it will be retried (observability only; nothing listens for state). */
export class MailAttemptFailedEvent {
  constructor(
    readonly kind: string,
    readonly userId: string,
    readonly reason: string,
  ) {}
}

export class MailHeldBackEvent {
  constructor(readonly kind: string) {}
}
