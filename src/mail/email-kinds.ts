import { AccountExistsEmail } from '../users/emails/account-exists.email.js';
import { ConfirmationReminderEmail } from '../users/emails/confirmation-reminder.email.js';
import { ConfirmationEmail } from '../users/emails/confirmation.email.js';
import type { EmailKind } from './email-kind.js';

/** Every kind of email the service sends, one line each. Only kinds listed here can be enqueued. */
export const EMAIL_KINDS = [ConfirmationEmail, ConfirmationReminderEmail, AccountExistsEmail] as const;

export type RegisteredEmailKind = (typeof EMAIL_KINDS)[number];

/** A kind with its payload and token types erased, for code that handles every kind alike. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind's types are its own
export type AnyEmailKind = EmailKind<string, any, any>;

const BY_NAME = new Map<string, AnyEmailKind>(EMAIL_KINDS.map((kind) => [kind.name, kind]));

export const emailKindNamed = (name: string): AnyEmailKind | undefined => BY_NAME.get(name);
