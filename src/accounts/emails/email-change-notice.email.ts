import { defineEmail } from '../../mail/email-kind.js';
import { EmailChangeRequested } from '../accounts.facts.js';
import { EmailChangeEmail } from './email-change.email.js';

/** To the old address when a change is asked for, with a link that cancels it; only when the change's link went out. */
export const EmailChangeNoticeEmail = defineEmail<{ newEmail: string }>()({
  name: 'email-change-notice',
  templateDir: import.meta.dirname,
  on: EmailChangeRequested,
  follows: EmailChangeEmail,
  payload: ({ data }) => ({ newEmail: data.newEmail }),
  sample: { newEmail: 'ada@lovelace.org' },
  token: 'email-change-cancel',
  link: '/email-change/:token',
  tokenSubject: ({ newEmail }) => newEmail,
  variables: ({ link, appUrl, payload }) => ({ cancelUrl: link, newEmail: payload.newEmail, appUrl }),
});
