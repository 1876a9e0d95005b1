import { defineEmail } from '../../mail/email-kind.js';
import { PasswordResetRequested } from '../accounts.facts.js';

/** A link to choose a new password, only ever sent to a confirmed address. */
export const PasswordResetEmail = defineEmail()({
  name: 'password-reset',
  templateDir: import.meta.dirname,
  on: PasswordResetRequested,
  token: 'password-reset',
  link: '/password-reset/:token',
  cooldown: { bucket: 'password-reset', seconds: (env) => env.RESEND_COOLDOWN_SECONDS, perDay: () => 3 },
  variables: ({ link, token }) => ({ resetUrl: link, lifetimeSeconds: token.lifetimeSeconds }),
});
