import { EmailChangeNoticeEmail } from './emails/email-change-notice.email.js';
import { EmailChangeEmail } from './emails/email-change.email.js';
import { EmailChangedEmail } from './emails/email-changed.email.js';
import { PasswordChangedEmail } from './emails/password-changed.email.js';
import { PasswordResetEmail } from './emails/password-reset.email.js';
import { SignInCodeEmail } from './emails/sign-in-code.email.js';

/** The emails of Accounts, one line each (a kind that follows another comes after it). */
export const ACCOUNTS_EMAILS = [
  SignInCodeEmail,
  PasswordResetEmail,
  PasswordChangedEmail,
  EmailChangeEmail,
  EmailChangeNoticeEmail,
  EmailChangedEmail,
];
