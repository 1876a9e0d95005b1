import { defineWebhookEvent } from './webhook-event.js';

/** A new user signed up (an address already registered does not count). */
export const UserRegistered = defineWebhookEvent<{ userId: string; email: string }>()('user.registered');

/** The user confirmed their address. */
export const UserConfirmed = defineWebhookEvent<{ userId: string; email: string }>()('user.confirmed');

/** The user is gone: `never-confirmed` when the retention sweep deleted a sign-up nobody confirmed. */
export const UserDeleted = defineWebhookEvent<{ userId: string; email: string; reason: 'never-confirmed' }>()('user.deleted');

/** An email to the user could not be delivered for good: its kind and why. */
export const EmailFailed = defineWebhookEvent<{ userId: string; email: string; kind: string; reason: string }>()('email.failed');

/** Every event type the service publishes, one line each. Only types listed here can be published. */
export const WEBHOOK_EVENTS = [UserRegistered, UserConfirmed, UserDeleted, EmailFailed] as const;

export type RegisteredWebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENT_NAMES: readonly string[] = WEBHOOK_EVENTS.map((event) => event.name);
