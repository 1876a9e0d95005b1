import { webhookEvent } from '../webhooks/webhook-event.js';
import { UserConfirmed, UserDeleted, UserRegistered } from './users.facts.js';

/** The public events of Users, one line each. */
export const USERS_WEBHOOKS = [
  webhookEvent('user.registered', UserRegistered),
  webhookEvent('user.confirmed', UserConfirmed, { data: ({ data }) => ({ userId: data.userId, email: data.email }) }),
  webhookEvent('user.deleted', UserDeleted, {
    fields: {
      reason: {
        type: 'string',
        enum: ['account-deleted', 'never-confirmed', 'deleted-by-admin'],
        description: 'The owner deleted it, nobody confirmed it within UNCONFIRMED_RETENTION_DAYS, or an operator deleted it',
      },
    },
  }),
];
