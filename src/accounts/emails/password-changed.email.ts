import { defineEmail } from '../../mail/email-kind.js';

/** "Your password was changed", after a reset or a change: the owner learns of a change they did not make. */
export const PasswordChangedEmail = defineEmail()({
  name: 'password-changed',
  templateDir: import.meta.dirname,
  variables: ({ appUrl }) => ({ appUrl, resetUrl: `${appUrl}/password-reset` }),
});
