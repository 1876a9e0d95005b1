import { defineEmail } from '../../mail/email-kind.js';

/** To the old address once the change is made: the last email it gets. */
export const EmailChangedEmail = defineEmail<{ newEmail: string }>()({
  name: 'email-changed',
  templateDir: import.meta.dirname,
  sample: { newEmail: 'new.address@example.com' },
  variables: ({ payload, appUrl }) => ({ newEmail: payload.newEmail, appUrl }),
});
