import { defineEmail } from '../../mail/email-kind.js';
import { ConfirmationLinkRequested, UserRegistered } from '../users.facts.js';
import { CONFIRMATION_LINKS } from './confirmation-links.js';

/** The link that proves an address: sent on sign-up and on request. */
export const ConfirmationEmail = defineEmail()({
  name: 'confirmation',
  templateDir: import.meta.dirname,
  on: [UserRegistered, ConfirmationLinkRequested],
  firstContact: [UserRegistered],
  token: 'confirmation',
  link: '/confirm/:token',
  cooldown: CONFIRMATION_LINKS,
  variables: ({ link, token }) => ({ confirmUrl: link, lifetimeSeconds: token.lifetimeSeconds }),
});
