import type { CooldownSpec } from '../../mail/email-kind.js';

/** Sign-up links and requested new links share one budget per address. */
export const CONFIRMATION_LINKS: CooldownSpec = {
  bucket: 'confirmation',
  seconds: (env) => env.RESEND_COOLDOWN_SECONDS,
  perDay: (env) => env.CONFIRMATION_EMAILS_PER_DAY,
};
