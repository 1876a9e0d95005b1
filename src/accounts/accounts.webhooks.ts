import { webhookEvent } from '../webhooks/webhook-event.js';
import { EmailChanged, PasswordChanged } from './accounts.facts.js';

/** The public events of Accounts, one line each. (A deletion is Users' `user.deleted`.) */
export const ACCOUNTS_WEBHOOKS = [
  webhookEvent('user.password_changed', PasswordChanged, {
    data: ({ data }) => ({ userId: data.userId, email: data.email, how: data.how }),
    fields: {
      how: {
        type: 'string',
        enum: ['set', 'change', 'reset'],
        description: 'First password set, changed while signed in, or reset by link',
      },
    },
  }),
  webhookEvent('user.email_changed', EmailChanged, {
    data: ({ data }) => ({ userId: data.userId, email: data.email, previousEmail: data.previousEmail }),
    fields: { previousEmail: { type: 'string', format: 'email', description: 'The address the account had before' } },
  }),
];
