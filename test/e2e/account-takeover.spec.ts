import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  GOOD_PASSWORD,
  bearer,
  confirmedAccount,
  emailedCode,
  latestEmail,
  pathToken,
  signIn,
  signInCode,
  signUp,
} from '../support/accounts.js';
import { AccountError } from '../../src/accounts/account.errors.js';
import { SignInService } from '../../src/accounts/sign-in.service.js';
import { TokensService } from '../../src/tokens/tokens.service.js';
import { ConfirmationsService } from '../../src/users/confirmations.service.js';
import { SendingPauseService } from '../../src/mail/sending-pause.service.js';
import { RateLimitStore } from '../../src/rate-limit/rate-limit.store.js';
import { adminAuth } from '../support/api.js';
import { waitUntilIdle } from '../support/metrics.js';
import { sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const OWNER = 'owner@example.com';
const THIEF = 'thief@example.net';
const NEW_PASSWORD = 'the owner took it back';

/**
 * Issue 22, finding 1, as it was reproduced: someone signs in with a stolen password and asks to
 * move the account to their own address; the owner reacts. Every change of who controls the
 * account must void every other credential the thief may hold.
 */
describe('a takeover does not survive the owner taking the account back', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack()));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  const api = () => request(stack.url);

  /** The thief signs in with the stolen password and asks to move the account; returns their session and the emailed link. */
  async function thiefStartsMovingTheAccount(): Promise<{ session: string; link: string }> {
    const session = await signIn(stack, OWNER);
    await api().post('/api/me/email-changes').set(bearer(session)).send({ email: THIEF, password: GOOD_PASSWORD }).expect(202);
    const link = pathToken(await latestEmail(THIEF, /Confirm your new email address/), 'email-change');
    return { session, link };
  }

  /** Nothing the thief kept works any more, and the account is the owner's, at the owner's address. */
  async function thiefIsLockedOut({ session, link }: { session: string; link: string }): Promise<void> {
    await api().get('/api/me').set(bearer(session)).expect(401);
    const confirm = await api().post('/api/email-changes/confirm').send({ token: link });
    expect([404, 410]).toContain(confirm.status);

    // The thief asks for a code at their address and tries whatever arrived there.
    await api().post('/api/sign-in-codes').send({ email: THIEF }).expect(202);
    await waitUntilIdle(stack.url);
    const codes = (await sesInbox.to(THIEF)).filter((e) => /sign-in code/.test(e.subject)).map(signInCode);
    for (const code of [...codes, 'ABCD2345']) await api().post('/api/sessions').send({ email: THIEF, code }).expect(401);
    expect(codes).toEqual([]);

    const owner = await signIn(stack, OWNER, NEW_PASSWORD);
    expect((await api().get('/api/me').set(bearer(owner)).expect(200)).body.email).toBe(OWNER);
  }

  it('after a password reset: the pending email-change link and an earlier sign-in code stop working', async () => {
    await confirmedAccount(stack, OWNER);
    const stolen = await thiefStartsMovingTheAccount();
    const earlierCode = await emailedCode(stack, OWNER);

    await api().post('/api/password-resets').send({ email: OWNER }).expect(202);
    const reset = pathToken(await latestEmail(OWNER, /Reset your password/), 'password-reset');
    await api().post('/api/password-resets/complete').send({ token: reset, password: NEW_PASSWORD }).expect(204);

    await thiefIsLockedOut(stolen);
    await api().post('/api/sessions').send({ email: OWNER, code: earlierCode }).expect(401);
  });

  it('after a password change: the pending email-change link and an earlier sign-in code stop working', async () => {
    await confirmedAccount(stack, OWNER);
    const owner = await signIn(stack, OWNER);
    const stolen = await thiefStartsMovingTheAccount();
    const earlierCode = await emailedCode(stack, OWNER);

    await api().put('/api/me/password').set(bearer(owner)).send({ currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD }).expect(204);

    await api().get('/api/me').set(bearer(owner)).expect(200); // the session that changed it stays
    await thiefIsLockedOut(stolen);
    await api().post('/api/sessions').send({ email: OWNER, code: earlierCode }).expect(401);
  });

  it('confirming an email change voids the reset link and the sign-in code sent to the old address', async () => {
    await confirmedAccount(stack, 'before@example.com');
    await api().post('/api/password-resets').send({ email: 'before@example.com' }).expect(202);
    const reset = pathToken(await latestEmail('before@example.com', /Reset your password/), 'password-reset');
    const code = await emailedCode(stack, 'before@example.com');

    const session = await signIn(stack, 'before@example.com');
    await api()
      .post('/api/me/email-changes')
      .set(bearer(session))
      .send({ email: 'after@example.com', password: GOOD_PASSWORD })
      .expect(202);
    const link = pathToken(await latestEmail('after@example.com', /Confirm your new email address/), 'email-change');
    await api().post('/api/email-changes/confirm').send({ token: link }).expect(200, { email: 'after@example.com' });

    expect((await api().post('/api/password-resets/complete').send({ token: reset, password: NEW_PASSWORD })).status).toBe(410);
    await api().post('/api/sessions').send({ email: 'after@example.com', code }).expect(401);
    await api().post('/api/sessions').send({ email: 'after@example.com', password: NEW_PASSWORD }).expect(401);
    await signIn(stack, 'after@example.com'); // the password it had still works
  });

  it('a link asked for before the owner took the account back, and not yet sent then, is never sent', async () => {
    await confirmedAccount(stack, OWNER);
    const owner = await signIn(stack, OWNER);
    const thief = await signIn(stack, OWNER);
    // Sending stops for a while (SES paused the account, say): the thief's link waits in the queue.
    await stack.worker!.get(SendingPauseService).pauseAutomatically('test: sending paused');
    await api().post('/api/me/email-changes').set(bearer(thief)).send({ email: THIEF, password: GOOD_PASSWORD }).expect(202);
    await api().put('/api/me/password').set(bearer(owner)).send({ currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD }).expect(204);

    await api().post('/api/admin/sending/resume').set(adminAuth()).expect(204);
    await waitUntilIdle(stack.url);
    expect(await sesInbox.to(THIEF)).toEqual([]);
    const failed = (await api().get('/api/admin/emails/failed').set(adminAuth()).expect(200)).body as Array<{
      kind: string;
      error: string;
    }>;
    // The owner's notice goes too: its cancel link is void, and so is the change it would cancel.
    expect(failed.map((email) => [email.kind, email.error.split(':')[0]]).sort()).toEqual([
      ['email-change', 'voided'],
      ['email-change-notice', 'voided'],
    ]);
    await latestEmail(OWNER, /Your password was changed/);
  });

  it('confirming with a password opens no session once the credentials changed after the confirmation committed', async () => {
    const context = { requestId: null };
    const outcome = await stack.web.get(ConfirmationsService).confirm(await signUp(stack, OWNER), GOOD_PASSWORD, context);
    if (!outcome.passwordSet) throw new Error('the confirmation set no password');
    // What the confirm page does next (open the session), with a password change in between.
    const owner = await signIn(stack, OWNER);
    await api().put('/api/me/password').set(bearer(owner)).send({ currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD }).expect(204);
    const signIns = stack.web.get(SignInService);
    await expect(signIns.startSession(outcome.userId, outcome.credentialsVersion, undefined, context)).rejects.toThrow(AccountError);
    const current = await stack.web.get(TokensService).credentialsVersion(outcome.userId);
    await expect(signIns.startSession(outcome.userId, current, undefined, context)).resolves.toMatchObject({ token: expect.any(String) });
  });

  it('a sign-in with the old password that races the change of the password never keeps a session', async () => {
    await confirmedAccount(stack, OWNER);
    const owner = await signIn(stack, OWNER);
    let password = GOOD_PASSWORD;
    // The thief's sign-in starts a little later each round, so that some rounds check the old
    // password just before the change commits and create the session just after.
    for (let round = 0; round < 12; round += 1) {
      await stack.web.get(RateLimitStore).clear(); // the thief's failures would throttle the owner's change
      const next = `${NEW_PASSWORD} ${round}`;
      const [thief] = await Promise.all([
        pause(round * 12).then(() => api().post('/api/sessions').send({ email: OWNER, password })),
        api().put('/api/me/password').set(bearer(owner)).send({ currentPassword: password, newPassword: next }).expect(204),
      ]);
      password = next;
      if (thief.status === 201)
        await api()
          .get('/api/me')
          .set(bearer((thief.body as { token: string }).token))
          .expect(401);
      else expect(thief.status).toBe(401);
    }
  });
});
