import { humanDuration } from '../../common/human-duration.js';
import { defineEmail } from '../../mail/email-kind.js';
import { CONFIRMATION_LINKS, CONFIRMATION_LINK_EVENTS } from './confirmation-links.js';

/** The link that proves an address: sent on sign-up and on request. */
export const ConfirmationEmail = defineEmail()({
  name: 'confirmation',
  templateDir: import.meta.dirname,
  token: 'confirmation',
  cooldown: CONFIRMATION_LINKS,
  events: CONFIRMATION_LINK_EVENTS,
  variables: ({ token, appUrl }) => ({
    confirmUrl: `${appUrl}/confirm/${token.value}`,
    lifetime: humanDuration(token.lifetimeSeconds),
  }),
});
