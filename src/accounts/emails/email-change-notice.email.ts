import { defineEmail } from '../../mail/email-kind.js';

/** To the old address when a change is asked for, with a link that cancels it. Sent only with an EmailChangeEmail. */
export const EmailChangeNoticeEmail = defineEmail<{ newEmail: string }>()({
  name: 'email-change-notice',
  templateDir: import.meta.dirname,
  token: 'email-change-cancel',
  tokenSubject: ({ newEmail }) => newEmail,
  sample: { newEmail: 'new.address@example.com' },
  variables: ({ token, appUrl, payload }) => ({ cancelUrl: `${appUrl}/email-change/${token.value}`, newEmail: payload.newEmail, appUrl }),
});
