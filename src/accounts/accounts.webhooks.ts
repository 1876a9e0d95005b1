import { webhookEvent } from '../webhooks/webhook-event.js';
import { EmailChanged, PasswordChanged } from './accounts.facts.js';

/** The public events of Accounts, one line each. (A deletion is Users' `user.deleted`.) */
export const ACCOUNTS_WEBHOOKS = [
  webhookEvent('user.password_changed', PasswordChanged, ({ data }) => ({ userId: data.userId, email: data.email, how: data.how })),
  webhookEvent('user.email_changed', EmailChanged, ({ data }) => ({
    userId: data.userId,
    email: data.email,
    previousEmail: data.previousEmail,
  })),
];
