import { AccountDeletedEmail } from './emails/account-deleted.email.js';
import { AccountExistsEmail } from './emails/account-exists.email.js';
import { ConfirmationReminderEmail } from './emails/confirmation-reminder.email.js';
import { ConfirmationEmail } from './emails/confirmation.email.js';

/** The emails of Users, one line each. */
export const USERS_EMAILS = [ConfirmationEmail, ConfirmationReminderEmail, AccountExistsEmail, AccountDeletedEmail];
