import type { CooldownSpec } from '../../mail/email-kind.js';
import { CONFIRMATION_LINK_FAILED, CONFIRMATION_LINK_SENT } from '../events/user.events.js';

/** Sign-up links and requested new links share one budget per address. */
export const CONFIRMATION_LINKS: CooldownSpec = {
  bucket: 'confirmation',
  seconds: (env) => env.RESEND_COOLDOWN_SECONDS,
  perDay: (env) => env.CONFIRMATION_EMAILS_PER_DAY,
};

/** Every email carrying a confirmation link reports here, so the user's email_sent follows the latest one. */
export const CONFIRMATION_LINK_EVENTS = { sent: CONFIRMATION_LINK_SENT, failed: CONFIRMATION_LINK_FAILED };
