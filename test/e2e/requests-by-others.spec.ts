import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackgroundWork } from '../../src/common/background-work.service.js';
import { GOOD_PASSWORD, bearer, confirmedAccount, latestEmail, signIn, signInCode } from '../support/accounts.js';
import { waitUntilIdle } from '../support/metrics.js';
import { sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

const OWNER = 'owner@example.com';
const OWNER_IP = '203.0.113.10';
const STRANGER_IPS = ['198.51.100.1', '198.51.100.2', '2001:db8:1:2::7'];

/**
 * Issue 22, finding 7: what others ask for must not cost the owner their sign-in codes, and a
 * signed-in user naming a third address must not make it a mail cannon. Clients are told apart by
 * X-Forwarded-For (TRUST_PROXY=loopback); no cooldown between two emails of one kind to one user
 * (RESEND_COOLDOWN_SECONDS=0), so only the budgets hold emails back.
 */
describe('requests by others', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ TRUST_PROXY: 'loopback', RESEND_COOLDOWN_SECONDS: '0' })));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  const askForCode = (email: string, ip: string) =>
    request(stack.url).post('/api/sign-in-codes').set('X-Forwarded-For', ip).send({ email });
  const signInWith = (code: string) => request(stack.url).post('/api/sessions').send({ email: OWNER, code });
  const codesIn = async (address: string) => (await sesInbox.to(address)).filter((e) => /sign-in code/.test(e.subject)).map(signInCode);

  describe('sign-in codes', () => {
    it("a code someone else asks for does not void the owner's: each works until it is used", async () => {
      await confirmedAccount(stack, OWNER, null);
      await askForCode(OWNER, OWNER_IP).expect(202);
      const mine = signInCode(await latestEmail(OWNER, /sign-in code/));
      await askForCode(OWNER, STRANGER_IPS[0]).expect(202);
      const theirs = signInCode(await latestEmail(OWNER, /sign-in code/, 2));

      await signInWith(mine).expect(201);
      await signInWith(mine).expect(401); // single use
      await signInWith(theirs).expect(201); // it went to the owner's mailbox: it is the owner's too
    });

    it("a requester's new code voids the one it asked for before (the contract), not anyone else's", async () => {
      await confirmedAccount(stack, OWNER, null);
      await askForCode(OWNER, STRANGER_IPS[0]).expect(202);
      const theirs = signInCode(await latestEmail(OWNER, /sign-in code/));
      await askForCode(OWNER, OWNER_IP).expect(202);
      const first = signInCode(await latestEmail(OWNER, /sign-in code/, 2));
      await askForCode(OWNER, OWNER_IP).expect(202);
      const second = signInCode(await latestEmail(OWNER, /sign-in code/, 3));

      await signInWith(first).expect(401);
      await signInWith(second).expect(201);
      await signInWith(theirs).expect(201);
    });

    it('strangers cannot lock the owner out: at most 3 codes go out in 10 minutes, whoever asks, and every one of them works', async () => {
      await confirmedAccount(stack, OWNER, null);
      const answers = [];
      // Eight strangers, one request each (a requester's second code would void its first, as it should).
      for (let i = 1; i <= 8; i++) answers.push(await askForCode(OWNER, `198.51.100.${100 + i}`));
      answers.push(await askForCode(OWNER, OWNER_IP), await askForCode('nobody@example.com', OWNER_IP));
      for (const answer of answers) expect({ status: answer.status, body: answer.body }).toEqual({ status: 202, body: answers[0].body });

      // Codes are worked out after the answer: wait for that work, then for the emails it queued.
      await stack.web.get(BackgroundWork).settled();
      await waitUntilIdle(stack.url);
      const codes = await codesIn(OWNER);
      expect(codes).toHaveLength(3);
      for (const code of codes) await signInWith(code).expect(201);
    });
  });

  describe('email changes', () => {
    it('send one address at most 3 links a day, whichever accounts name it, and tell the fourth asker that nothing was sent', async () => {
      const victim = 'victim@example.org';
      const answers = [];
      for (let i = 1; i <= 4; i++) {
        const mover = await confirmedAccount(stack, `mover${i}@example.com`);
        const session = await signIn(stack, mover);
        answers.push(
          await request(stack.url)
            .post('/api/me/email-changes')
            .set(bearer(session))
            .set('X-Forwarded-For', STRANGER_IPS[i % STRANGER_IPS.length])
            .send({ email: victim, password: GOOD_PASSWORD }),
        );
      }
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 429]);
      expect(answers[3].body).toMatchObject({ code: 'too_soon', message: expect.stringMatching(/nothing was sent/i) });
      expect(Number(answers[3].headers['retry-after'])).toBeGreaterThan(0);

      await waitUntilIdle(stack.url);
      expect(await sesInbox.to(victim)).toHaveLength(3);
      // Nothing went out for the fourth request: no notice to its account's own address either.
      expect((await sesInbox.to('mover4@example.com')).filter((e) => /about to change/.test(e.subject))).toEqual([]);
    });
  });
});
