import { defineWebhookEvent } from './webhook-event.js';

/** A new user signed up (an address already registered does not count). */
export const UserRegistered = defineWebhookEvent<{ userId: string; email: string }>()('user.registered');

/** The user confirmed their address. */
export const UserConfirmed = defineWebhookEvent<{ userId: string; email: string }>()('user.confirmed');

/**
 * The user is gone: `account-deleted` when they deleted their account, `never-confirmed` when the
 * retention sweep deleted a sign-up nobody confirmed.
 */
export const UserDeleted = defineWebhookEvent<{ userId: string; email: string; reason: 'account-deleted' | 'never-confirmed' }>()(
  'user.deleted',
);

/** The user's password was set after confirming, changed while signed in, or reset through an emailed link. */
export const UserPasswordChanged = defineWebhookEvent<{ userId: string; email: string; how: 'set' | 'change' | 'reset' }>()(
  'user.password_changed',
);

/** The user proved a new address and it replaced the old one. */
export const UserEmailChanged = defineWebhookEvent<{ userId: string; email: string; previousEmail: string }>()('user.email_changed');

/** An email to the user could not be delivered for good: its kind and why. */
export const EmailFailed = defineWebhookEvent<{ userId: string; email: string; kind: string; reason: string }>()('email.failed');

/** SES reported a bounce or complaint that put a user's address on the suppression list. */
export const EmailSuppressed = defineWebhookEvent<{ userId: string; email: string; reason: 'bounce' | 'complaint'; detail: string }>()(
  'email.suppressed',
);

/** Every event type the service publishes, one line each. Only types listed here can be published. */
export const WEBHOOK_EVENTS = [
  UserRegistered,
  UserConfirmed,
  UserPasswordChanged,
  UserEmailChanged,
  UserDeleted,
  EmailSuppressed,
  EmailFailed,
] as const;

export type RegisteredWebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENT_NAMES: readonly string[] = WEBHOOK_EVENTS.map((event) => event.name);
