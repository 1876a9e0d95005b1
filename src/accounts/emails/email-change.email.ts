import { defineEmail } from '../../mail/email-kind.js';
import { EmailChangeRequested } from '../accounts.facts.js';

export interface EmailChangeSubject {
  newEmail: string;
  /** The session that asked: it stays signed in when the change is made, the others end. */
  sessionId: string;
}

/** To the new address: the link that makes the change (proving the new address). */
export const EmailChangeEmail = defineEmail<EmailChangeSubject>()({
  name: 'email-change',
  templateDir: import.meta.dirname,
  on: EmailChangeRequested,
  to: ({ data }) => ({ userId: data.userId, address: data.newEmail }),
  payload: ({ data }) => ({ newEmail: data.newEmail, sessionId: data.sessionId }),
  sample: { newEmail: 'ada@lovelace.org', sessionId: '019abf3c-5b7e-7c41-9a0e-3f1d2c4b5a69' },
  token: 'email-change',
  link: '/email-change/:token',
  tokenSubject: ({ newEmail, sessionId }) => JSON.stringify({ newEmail, sessionId }),
  // A signed-in user names any address: a small budget keeps this from being a way to mail strangers.
  cooldown: { bucket: 'email-change', seconds: (env) => env.RESEND_COOLDOWN_SECONDS, perDay: () => 3 },
  variables: ({ link, token, payload }) => ({
    changeUrl: link,
    newEmail: payload.newEmail,
    lifetimeSeconds: token.lifetimeSeconds,
  }),
});
