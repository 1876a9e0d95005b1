import { humanDuration } from '../../common/human-duration.js';
import { defineEmail } from '../../mail/email-kind.js';

export interface EmailChangeSubject {
  newEmail: string;
  /** The session that asked: it stays signed in when the change is made, the others end. */
  sessionId: string;
}

/** To the new address: the link that makes the change (proving the new address). */
export const EmailChangeEmail = defineEmail<EmailChangeSubject>()({
  name: 'email-change',
  templateDir: import.meta.dirname,
  token: 'email-change',
  tokenSubject: ({ newEmail, sessionId }) => JSON.stringify({ newEmail, sessionId }),
  // A signed-in user names any address: a small budget keeps this from being a way to mail strangers.
  cooldown: { bucket: 'email-change', seconds: (env) => env.RESEND_COOLDOWN_SECONDS, perDay: () => 3 },
  sample: { newEmail: 'new.address@example.com', sessionId: '00000000-0000-4000-8000-000000000000' },
  variables: ({ token, appUrl, payload }) => ({
    changeUrl: `${appUrl}/email-change/${token.value}`,
    newEmail: payload.newEmail,
    lifetime: humanDuration(token.lifetimeSeconds),
  }),
});
