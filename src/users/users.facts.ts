import { Fact } from '../database/fact.js';

type AboutUser = { userId: string; email: string };

/** A new address signed up (an address already registered does not count), reading pages and emails in `locale`. */
export class UserRegistered extends Fact<AboutUser & { locale: string }> {}

/** An unconfirmed address asked for a link again: it signed up again, or used the resend form. */
export class ConfirmationLinkRequested extends Fact<AboutUser> {}

/** Someone signed up with an address that already has a confirmed account. */
export class ConfirmedAddressSignedUp extends Fact<AboutUser> {}

/** An address is still unconfirmed long after its last link (CONFIRMATION_REMINDER_AFTER_SECONDS). */
export class ConfirmationReminderDue extends Fact<AboutUser> {}

/** The address was confirmed (once, however many links or clicks), with a first password or without. */
export class UserConfirmed extends Fact<AboutUser & { withPassword: boolean }> {}

/** The user is gone with everything hanging off it: the owner deleted the account, or nobody confirmed it in time. */
export class UserDeleted extends Fact<AboutUser & { locale: string; reason: 'account-deleted' | 'never-confirmed' | 'deleted-by-admin' }> {}

export const USERS_FACTS = [
  UserRegistered,
  ConfirmationLinkRequested,
  ConfirmedAddressSignedUp,
  ConfirmationReminderDue,
  UserConfirmed,
  UserDeleted,
];
