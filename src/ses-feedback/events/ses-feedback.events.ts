/** Domain events of the SES feedback module, emitted after the change has committed. */
export const EMAIL_SUPPRESSED = 'email.suppressed';
export const SES_FEEDBACK_RECEIVED = 'ses.feedback-received';
export const SENDING_AUTO_PAUSED = 'sending.auto-paused';
export const SES_FEEDBACK_DROPPED = 'ses.feedback-dropped';

export type SuppressionReason = 'bounce' | 'complaint';

/** An address was added to the suppression list: nothing more is sent to it until an admin lifts it. */
export class EmailSuppressedEvent {
  constructor(
    readonly email: string,
    /** The user with this address, when there is one. */
    readonly userId: string | null,
    readonly reason: SuppressionReason,
    readonly detail: string,
  ) {}
}

/** One bounce or complaint recipient, new (not a redelivered message). For metrics. */
export class SesFeedbackReceivedEvent {
  constructor(
    readonly kind: 'bounce' | 'complaint',
    /** `Permanent/General`, `Transient/MailboxFull`, `Complaint/abuse`, ... */
    readonly subtype: string,
  ) {}
}

/** An SQS feedback message deleted unhandled, as it never could be (not JSON, unknown type, forged, another topic). For metrics. */
export class SesFeedbackDroppedEvent {
  constructor(readonly reason: string) {}
}

export class SendingAutoPausedEvent {
  constructor(readonly reason: string) {}
}
