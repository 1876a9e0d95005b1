import { humanDuration } from '../../common/human-duration.js';
import { defineEmail } from '../../mail/email-kind.js';
import { SignInCodeRequested } from '../accounts.facts.js';

/** A one-time sign-in code (and a link that fills it in), only ever sent to a confirmed address. */
export const SignInCodeEmail = defineEmail<{ email: string }>()({
  name: 'sign-in-code',
  templateDir: import.meta.dirname,
  on: SignInCodeRequested,
  payload: ({ data }) => ({ email: data.email }),
  sample: { email: 'ada@example.com' },
  token: 'sign-in',
  // The link only fills in the form (GET changes nothing).
  link: '/sign-in?code=:token',
  cooldown: { bucket: 'sign-in-code', seconds: (env) => Math.min(env.RESEND_COOLDOWN_SECONDS, 30), perDay: () => 10 },
  variables: ({ token, link, payload }) => ({
    code: token.value,
    signInUrl: `${link}&email=${encodeURIComponent(payload.email)}`,
    lifetime: humanDuration(token.lifetimeSeconds),
  }),
});
