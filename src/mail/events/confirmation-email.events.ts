/** Domain events the Mail module emits in the worker after a send attempt settles. */
export const CONFIRMATION_EMAIL_SENT = 'confirmation-email.sent';
export const CONFIRMATION_EMAIL_FAILED = 'confirmation-email.failed';

export class ConfirmationEmailSentEvent {
  constructor(
    readonly userId: string,
    readonly sentAt: Date,
  ) {}
}

export class ConfirmationEmailFailedEvent {
  constructor(
    readonly userId: string,
    readonly reason: string,
  ) {}
}
