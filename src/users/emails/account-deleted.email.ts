import { defineEmail } from '../../mail/email-kind.js';
import { UserDeleted } from '../users.facts.js';

/**
 * "Your account was deleted": to the owner's address after they deleted the account themselves,
 * so a deletion they did not make does not go unnoticed. Not after an operator's deletion (the
 * operator speaks for it) nor after the retention sweep of never-confirmed addresses (nobody proved
 * the address theirs). It is sent once the user row is gone: it carries no token and links only to
 * the start page.
 */
export const AccountDeletedEmail = defineEmail()({
  name: 'account-deleted',
  templateDir: import.meta.dirname,
  on: UserDeleted,
  when: ({ data }) => data.reason === 'account-deleted',
  outlivesUser: true,
  to: ({ data }) => ({ userId: data.userId, address: data.email, locale: data.locale }),
  variables: ({ appUrl }) => ({ appUrl }),
});
