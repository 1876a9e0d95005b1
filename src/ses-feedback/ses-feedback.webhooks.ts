import { webhookEvent } from '../webhooks/webhook-event.js';
import { AddressSuppressed } from './ses-feedback.facts.js';

/** The public events of SES feedback. An address no user has (any more) is suppressed all the same, with no one to tell the app about. */
export const SES_FEEDBACK_WEBHOOKS = [
  webhookEvent('email.suppressed', AddressSuppressed, {
    data: ({ data }) =>
      data.userId === null ? null : { userId: data.userId, email: data.email, reason: data.reason, detail: data.detail },
    fields: {
      reason: { type: 'string', enum: ['bounce', 'complaint'], description: 'A permanent bounce (or too many soft ones), or a complaint' },
      detail: { type: 'string', description: "SES's bounce type and subtype, or the complaint's feedback type" },
    },
  }),
];
