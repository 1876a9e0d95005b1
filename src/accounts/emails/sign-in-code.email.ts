import { humanDuration } from '../../common/human-duration.js';
import { defineEmail } from '../../mail/email-kind.js';

/** A one-time sign-in code (and a link that fills it in), only ever sent to a confirmed address. */
export const SignInCodeEmail = defineEmail<{ email: string }>()({
  name: 'sign-in-code',
  templateDir: import.meta.dirname,
  token: 'sign-in',
  cooldown: { bucket: 'sign-in-code', seconds: (env) => Math.min(env.RESEND_COOLDOWN_SECONDS, 30), perDay: () => 10 },
  sample: { email: 'someone@example.com' },
  variables: ({ token, appUrl, payload }) => ({
    code: token.value,
    // The link only fills in the form (GET changes nothing); `code` is redacted from logged URLs.
    signInUrl: `${appUrl}/sign-in?email=${encodeURIComponent(payload.email)}&code=${token.value}`,
    lifetime: humanDuration(token.lifetimeSeconds),
  }),
});
