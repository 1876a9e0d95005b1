import { defineEmail } from '../../mail/email-kind.js';
import { EmailChanged } from '../accounts.facts.js';

/** To the old address once the change is made: the last email it gets. */
export const EmailChangedEmail = defineEmail<{ newEmail: string }>()({
  name: 'email-changed',
  templateDir: import.meta.dirname,
  on: EmailChanged,
  to: ({ data }) => ({ userId: data.userId, address: data.previousEmail }),
  payload: ({ data }) => ({ newEmail: data.email }),
  sample: { newEmail: 'ada@lovelace.org' },
  variables: ({ payload, appUrl }) => ({ newEmail: payload.newEmail, appUrl }),
});
