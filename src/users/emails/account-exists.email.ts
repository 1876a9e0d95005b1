import { defineEmail } from '../../mail/email-kind.js';
import { ConfirmedAddressSignedUp } from '../users.facts.js';

/** "Someone tried to sign up with your address": what a confirmed address gets instead of a link, with the ways back in. */
export const AccountExistsEmail = defineEmail()({
  name: 'account-exists',
  templateDir: import.meta.dirname,
  on: ConfirmedAddressSignedUp,
  cooldown: {
    bucket: 'account-exists',
    seconds: (env) => env.RESEND_COOLDOWN_SECONDS,
    perDay: (env) => env.ACCOUNT_NOTICES_PER_DAY,
  },
  variables: ({ appUrl }) => ({ appUrl, signInUrl: `${appUrl}/sign-in`, resetUrl: `${appUrl}/password-reset` }),
});
