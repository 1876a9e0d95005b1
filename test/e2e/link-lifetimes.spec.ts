import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { GOOD_PASSWORD, bearer, confirmedAccount, latestEmail, pathToken, signIn } from '../support/accounts.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

const HOUR = 3600;
const DAY = 24 * HOUR;

/** How long emailed links work: the clock is moved on by moving each link's expiry back. */
describe('lifetimes of emailed account links', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ RESEND_COOLDOWN_SECONDS: '0' })));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  const api = () => request(stack.url);

  async function resetLink(email: string, count: number) {
    await stack.testApi.mail.forgetCooldowns();
    await api().post('/api/password-resets').send({ email }).expect(202);
    return pathToken(await latestEmail(email, /Reset your password/, count), 'password-reset');
  }

  /** Asks to move to `to`; returns the link sent there and the cancel link sent to the old address. */
  async function emailChange(session: string, from: string, to: string, count: number) {
    await stack.testApi.mail.forgetCooldowns();
    await api().post('/api/me/email-changes').set(bearer(session)).send({ email: to, password: GOOD_PASSWORD }).expect(202);
    return {
      change: pathToken(await latestEmail(to, /Confirm your new email address/), 'email-change'),
      cancel: pathToken(await latestEmail(from, /about to change/, count), 'email-change'),
    };
  }

  it('a password-reset link works for 1 hour, not after', async () => {
    const email = await confirmedAccount(stack, 'hour@example.com');
    const complete = (token: string, password: string) => api().post('/api/password-resets/complete').send({ token, password });

    const inTime = await resetLink(email, 1);
    await stack.testApi.tokens.letTimePass(HOUR - 60, 'password-reset');
    await complete(inTime, 'a new passphrase in time').expect(204);

    const late = await resetLink(email, 2);
    await stack.testApi.tokens.letTimePass(HOUR + 1, 'password-reset');
    await complete(late, 'a new passphrase too late').expect(410);
    await signIn(stack, email, 'a new passphrase in time');
  });

  it('an email-change link works for 24 hours, not after', async () => {
    const email = await confirmedAccount(stack, 'day@example.com');
    const session = await signIn(stack, email);
    const confirm = (token: string) => api().post('/api/email-changes/confirm').send({ token });

    const late = await emailChange(session, email, 'too.late@example.com', 1);
    await stack.testApi.tokens.letTimePass(DAY + 1, 'email-change');
    await confirm(late.change).expect(410);

    const inTime = await emailChange(session, email, 'in.time@example.com', 2);
    await stack.testApi.tokens.letTimePass(DAY - 60, 'email-change');
    await confirm(inTime.change).expect(200, { email: 'in.time@example.com' });
  });

  it('the cancel link sent to the old address works for 7 days, not after', async () => {
    const email = await confirmedAccount(stack, 'week@example.com');
    const session = await signIn(stack, email);
    const cancel = (token: string) => api().post('/api/email-changes/cancel').send({ token });

    const late = await emailChange(session, email, 'week.late@example.com', 1);
    await stack.testApi.tokens.letTimePass(7 * DAY + 1, 'email-change-cancel');
    await cancel(late.cancel).expect(410);

    const inTime = await emailChange(session, email, 'week.in.time@example.com', 2);
    await stack.testApi.tokens.letTimePass(7 * DAY - 60, 'email-change-cancel');
    await cancel(inTime.cancel).expect(200, { email });
  });
});
