import { defineEmail } from '../../mail/email-kind.js';
import { ConfirmedAddressSignedUp } from '../users.facts.js';

/** "Someone tried to sign up with your address": what a confirmed address gets instead of a link. */
export const AccountExistsEmail = defineEmail()({
  name: 'account-exists',
  templateDir: import.meta.dirname,
  on: ConfirmedAddressSignedUp,
  cooldown: {
    bucket: 'account-exists',
    seconds: (env) => env.RESEND_COOLDOWN_SECONDS,
    perDay: (env) => env.ACCOUNT_NOTICES_PER_DAY,
  },
  variables: ({ appUrl }) => ({ appUrl }),
});
