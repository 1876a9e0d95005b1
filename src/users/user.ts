/** A user as the admin list shows it. The address is stored lower-cased, so it is case-insensitive. */
export interface User {
  id: string;
  email: string;
  emailSent: boolean;
  emailSentAt: Date | null;
  /** Why the confirmation email could not be delivered for good (e.g. SES rejected the address). */
  emailError: string | null;
  confirmed: boolean;
  confirmedAt: Date | null;
  createdAt: Date;
}

/** What other modules read of a user. */
export interface UserRecord {
  id: string;
  email: string;
  confirmed: boolean;
  /** The language of the user's pages and emails (a SUPPORTED_LOCALES code, or one no longer supported: then the first). */
  locale: string;
  createdAt: Date;
}
