import { defineEmail } from '../../mail/email-kind.js';
import { PasswordChanged } from '../accounts.facts.js';

/** "Your password was changed", after a reset or a change: the owner learns of a change they did not make. */
export const PasswordChangedEmail = defineEmail()({
  name: 'password-changed',
  templateDir: import.meta.dirname,
  on: PasswordChanged,
  variables: ({ appUrl }) => ({ appUrl, resetUrl: `${appUrl}/password-reset` }),
});
