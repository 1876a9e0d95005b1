import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackgroundWork } from '../../src/common/background-work.service.js';
import { GOOD_PASSWORD, bearer, confirmedAccount, signIn } from '../support/accounts.js';
import { waitUntilIdle } from '../support/metrics.js';
import { sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

const MINUTE = 60;

/**
 * How many account emails go out to one user, whoever asks: counted in the mailbox once the work
 * behind each answer and the queue are done. Time is moved on by ageing the cooldowns and counters.
 */
describe('budgets of account emails', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ TRUST_PROXY: 'loopback', RESEND_COOLDOWN_SECONDS: String(MINUTE) })));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  /** Emails of the subject in the mailbox once everything asked for so far is done. */
  async function emails(address: string, subject: RegExp): Promise<number> {
    await stack.web.get(BackgroundWork).settled();
    await waitUntilIdle(stack.url);
    return (await sesInbox.to(address, subject)).length;
  }

  it('password-reset emails: the wait doubles after each (1, 2 minutes), at most 3 a day', async () => {
    const email = await confirmedAccount(stack, 'resets@example.com');
    const ask = () => request(stack.url).post('/api/password-resets').send({ email }).expect(202);
    const resets = () => emails(email, /Reset your password/);
    const pass = (seconds: number) => stack.testApi.mail.letCooldownsPass(seconds);

    await ask();
    expect(await resets()).toBe(1);
    await pass(MINUTE - 5);
    await ask();
    expect(await resets()).toBe(1);
    await pass(5);
    await ask();
    expect(await resets()).toBe(2);
    await pass(2 * MINUTE - 5); // twice the wait now
    await ask();
    expect(await resets()).toBe(2);
    await pass(5);
    await ask();
    expect(await resets()).toBe(3);
    await pass(6 * 3600); // long past any wait: the day's three are spent
    await ask();
    expect(await resets()).toBe(3);
    await pass(86_400);
    await ask();
    expect(await resets()).toBe(4);
  });

  it('email-change links: at most 3 a day per account, whatever the addresses', async () => {
    const email = await confirmedAccount(stack, 'changer@example.com');
    const session = await signIn(stack, email);
    const change = (to: string) =>
      request(stack.url).post('/api/me/email-changes').set(bearer(session)).send({ email: to, password: GOOD_PASSWORD });
    const links = async (to: string) => emails(to, /Confirm your new email address/);

    for (let i = 1; i <= 3; i++) {
      await stack.testApi.mail.letCooldownsPass(4 * 3600); // no wait between them: only the daily cap
      await change(`new${i}@example.com`).expect(202);
      expect(await links(`new${i}@example.com`)).toBe(1);
    }
    await stack.testApi.mail.letCooldownsPass(4 * 3600);
    await change('new4@example.com');
    expect(await links('new4@example.com')).toBe(0);
    await stack.testApi.mail.letCooldownsPass(86_400);
    await change('new5@example.com').expect(202);
    expect(await links('new5@example.com')).toBe(1);
  });

  describe('sign-in codes', () => {
    const ask = (email: string, ip: string) =>
      request(stack.url).post('/api/sign-in-codes').set('X-Forwarded-For', ip).send({ email }).expect(202);
    const codes = (email: string) => emails(email, /sign-in code/);
    /** Ten minutes on, once the codes asked for so far have been counted in the window they were asked in. */
    const tenMinutes = async () => {
      await stack.web.get(BackgroundWork).settled();
      await stack.testApi.rateLimits.letTimePass(10 * MINUTE * 1000 + 1000);
    };

    it('3 per 10 minutes per account, whoever asks', async () => {
      const email = await confirmedAccount(stack, 'codes@example.com', null);
      for (let i = 1; i <= 4; i++) await ask(email, `198.51.100.${i}`);
      expect(await codes(email)).toBe(3);
      await tenMinutes();
      for (let i = 5; i <= 8; i++) await ask(email, `198.51.100.${i}`);
      expect(await codes(email)).toBe(6);
    });

    it('10 a day per requester; another requester still gets one', async () => {
      const email = await confirmedAccount(stack, 'daily@example.com', null);
      const ip = '203.0.113.7';
      for (let round = 0; round < 4; round++) {
        for (let i = 0; i < 3; i++) await ask(email, ip);
        await tenMinutes();
      }
      expect(await codes(email)).toBe(10);
      await ask(email, ip);
      expect(await codes(email)).toBe(10);
      await ask(email, '203.0.113.8');
      expect(await codes(email)).toBe(11);
    });
  });
});
