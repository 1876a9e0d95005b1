/** Domain events the Mail module emits in the worker after a send attempt settles. */
export const CONFIRMATION_EMAIL_SENT = 'confirmation-email.sent';
export const CONFIRMATION_EMAIL_FAILED = 'confirmation-email.failed';
export const CONFIRMATION_EMAIL_ATTEMPT_FAILED = 'confirmation-email.attempt-failed';

export class ConfirmationEmailSentEvent {
  constructor(
    readonly userId: string,
    readonly sentAt: Date,
    /** When the email was requested (the outbox record's creation), for the send latency. */
    readonly requestedAt?: Date,
  ) {}
}

export class ConfirmationEmailFailedEvent {
  constructor(
    readonly userId: string,
    readonly reason: string,
  ) {}
}

/** One SES call failed, whether or not it will be retried (observability only; nothing listens for state). */
export class ConfirmationEmailAttemptFailedEvent {
  constructor(
    readonly userId: string,
    readonly reason: string,
  ) {}
}
