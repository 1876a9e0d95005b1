import { humanDuration } from '../../common/human-duration.js';
import { defineEmail } from '../../mail/email-kind.js';

/** A link to choose a new password, only ever sent to a confirmed address. */
export const PasswordResetEmail = defineEmail()({
  name: 'password-reset',
  templateDir: import.meta.dirname,
  token: 'password-reset',
  cooldown: { bucket: 'password-reset', seconds: (env) => env.RESEND_COOLDOWN_SECONDS, perDay: () => 3 },
  variables: ({ token, appUrl }) => ({
    resetUrl: `${appUrl}/password-reset/${token.value}`,
    lifetime: humanDuration(token.lifetimeSeconds),
  }),
});
