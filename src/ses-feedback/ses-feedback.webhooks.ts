import { webhookEvent } from '../webhooks/webhook-event.js';
import { AddressSuppressed } from './ses-feedback.facts.js';

/** The public events of SES feedback. An address no user has (any more) is suppressed all the same, with no one to tell the app about. */
export const SES_FEEDBACK_WEBHOOKS = [
  webhookEvent('email.suppressed', AddressSuppressed, ({ data }) =>
    data.userId === null ? null : { userId: data.userId, email: data.email, reason: data.reason, detail: data.detail },
  ),
];
