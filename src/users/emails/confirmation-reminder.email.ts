import { defineEmail } from '../../mail/email-kind.js';
import { ConfirmationReminderDue } from '../users.facts.js';

/** The one reminder, with a fresh link, to an address still unconfirmed long after its last link. */
export const ConfirmationReminderEmail = defineEmail()({
  name: 'confirmation-reminder',
  templateDir: import.meta.dirname,
  on: ConfirmationReminderDue,
  token: 'confirmation',
  link: '/confirm/:token',
  variables: ({ link, token }) => ({ confirmUrl: link, lifetimeSeconds: token.lifetimeSeconds }),
});
