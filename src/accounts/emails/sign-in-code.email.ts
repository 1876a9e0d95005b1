import { defineEmail } from '../../mail/email-kind.js';
import { SignInCodeRequested } from '../accounts.facts.js';

/**
 * A one-time sign-in code (and a link that fills it in), only ever sent to a confirmed address. Its
 * budgets are per requester and per account (SignInCodeBudget, before the fact), not a cooldown of
 * the account: a cooldown anyone can spend would let anyone keep the owner from signing in.
 */
export const SignInCodeEmail = defineEmail<{ email: string; requester: string }>()({
  name: 'sign-in-code',
  templateDir: import.meta.dirname,
  on: SignInCodeRequested,
  payload: ({ data }) => ({ email: data.email, requester: data.requester }),
  sample: { email: 'ada@example.com', requester: 'kq3VbX0dXb2m1yQ8nT5rAw' },
  token: 'sign-in',
  // The code's subject is who asked for it: only their next code voids it.
  tokenSubject: ({ requester }) => requester,
  // The link only fills in the form (GET changes nothing).
  link: '/sign-in?code=:token',
  variables: ({ token, link, payload }) => ({
    code: token.value,
    signInUrl: `${link}&email=${encodeURIComponent(payload.email)}`,
    lifetimeSeconds: token.lifetimeSeconds,
  }),
});
