import { AccountExistsEmail } from '../users/emails/account-exists.email.js';
import { ConfirmationReminderEmail } from '../users/emails/confirmation-reminder.email.js';
import { ConfirmationEmail } from '../users/emails/confirmation.email.js';
import { EmailChangeNoticeEmail } from '../accounts/emails/email-change-notice.email.js';
import { EmailChangeEmail } from '../accounts/emails/email-change.email.js';
import { EmailChangedEmail } from '../accounts/emails/email-changed.email.js';
import { PasswordChangedEmail } from '../accounts/emails/password-changed.email.js';
import { PasswordResetEmail } from '../accounts/emails/password-reset.email.js';
import { SignInCodeEmail } from '../accounts/emails/sign-in-code.email.js';
import type { EmailKind } from './email-kind.js';

/** Every kind of email the service sends, one line each. Only kinds listed here can be enqueued. */
export const EMAIL_KINDS = [
  ConfirmationEmail,
  ConfirmationReminderEmail,
  AccountExistsEmail,
  SignInCodeEmail,
  PasswordResetEmail,
  PasswordChangedEmail,
  EmailChangeEmail,
  EmailChangeNoticeEmail,
  EmailChangedEmail,
] as const;

export type RegisteredEmailKind = (typeof EMAIL_KINDS)[number];

/** A kind with its payload and token types erased, for code that handles every kind alike. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind's types are its own
export type AnyEmailKind = EmailKind<string, any, any>;

const BY_NAME = new Map<string, AnyEmailKind>(EMAIL_KINDS.map((kind) => [kind.name, kind]));

export const emailKindNamed = (name: string): AnyEmailKind | undefined => BY_NAME.get(name);
