import { humanDuration } from '../../common/human-duration.js';
import { defineEmail } from '../../mail/email-kind.js';
import { CONFIRMATION_LINK_EVENTS } from './confirmation-links.js';

/** The one reminder, with a fresh link, to an address still unconfirmed long after its last link. */
export const ConfirmationReminderEmail = defineEmail()({
  name: 'confirmation-reminder',
  templateDir: import.meta.dirname,
  token: 'confirmation',
  events: CONFIRMATION_LINK_EVENTS,
  variables: ({ token, appUrl }) => ({
    confirmUrl: `${appUrl}/confirm/${token.value}`,
    lifetime: humanDuration(token.lifetimeSeconds),
  }),
});
