import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PasswordsService } from '../../src/passwords/passwords.service.js';
import { SessionsService } from '../../src/accounts/sessions/sessions.service.js';
import { GOOD_PASSWORD, bearer, confirmedAccount, emailedCode, latestEmail, pathToken, signIn } from '../support/accounts.js';
import { adminUser, userCount } from '../support/api.js';
import { everythingStored } from '../support/database-scan.js';
import { waitUntilIdle } from '../support/metrics.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

const SIGN_IN_FAILED = {
  statusCode: 401,
  error: 'Unauthorized',
  code: 'sign_in_failed',
  message: 'The email address and password or code do not match an account. Check them and try again.',
};

describe('accounts on a confirmed address (API)', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack()));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  const api = () => request(stack.url);
  const me = (token: string) => api().get('/api/me').set(bearer(token));
  const userId = async (email: string) => (await adminUser(stack.url, email))!.id;
  const passwordHashOf = async (email: string) => stack.web.get(PasswordsService).hashOf(await userId(email));

  describe('a password chosen at confirmation', () => {
    it('is set with the confirmation, signs in, and GET /api/me shows the account', async () => {
      await confirmedAccount(stack, 'ada@example.com');
      const res = await api().post('/api/sessions').send({ email: 'Ada@Example.com', password: GOOD_PASSWORD }).expect(201);
      expect(res.body).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresAt: expect.any(String) });
      const expiresIn = Date.parse(res.body.expiresAt) - Date.now();
      expect(expiresIn).toBeGreaterThan(2_592_000_000 - 60_000);
      expect(expiresIn).toBeLessThanOrEqual(2_592_000_000);
      const profile = await me(res.body.token).expect(200);
      expect(profile.body).toEqual({
        id: expect.any(String),
        email: 'ada@example.com',
        confirmed: true,
        hasPassword: true,
        createdAt: expect.any(String),
        locale: 'en',
      });
      // Only the hashes are stored: Argon2id for the password, none of the session token itself.
      expect(await passwordHashOf('ada@example.com')).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      const stored = await everythingStored(stack);
      expect(stored).not.toContain(res.body.token);
      expect(stored).not.toContain(Buffer.from(res.body.token).toString('hex'));
    });

    it('refuses a weak password with 400 and keeps the token usable; NFKC makes two spellings one password', async () => {
      await api().post('/api/users').send({ email: 'weak@example.com' }).expect(202);
      const token = linkToken((await sesInbox.waitFor('weak@example.com'))[0]);
      for (const [password, why] of [
        ['short', /at least 12 characters/],
        ['password1234', /too common/],
        ['aaaaaaaaaaaaaaaa', /repeat one character/],
        ['weak@example.com', /email address/],
      ] as const) {
        const res = await api().post('/api/confirmations').send({ token, password }).expect(400);
        expect(res.body.message).toMatch(why);
      }
      expect((await adminUser(stack.url, 'weak@example.com'))?.confirmed).toBe(false);
      // 64 characters and more are allowed; "ｆｕｌｌｗｉｄｔｈ" letters are NFKC-normalised.
      const long = 'ｆｕｌｌｗｉｄｔｈ ' + 'x'.repeat(70) + ' ünïcödé';
      await api()
        .post('/api/confirmations')
        .send({ token, password: long })
        .expect(200, { status: 'confirmed', email: 'weak@example.com' });
      await api()
        .post('/api/sessions')
        .send({ email: 'weak@example.com', password: long.normalize('NFKC') })
        .expect(201);
    });

    it('a used token never sets a password: already_confirmed, password ignored', async () => {
      await api().post('/api/users').send({ email: 'twice@example.com' }).expect(202);
      const token = linkToken((await sesInbox.waitFor('twice@example.com'))[0]);
      await api().post('/api/confirmations').send({ token }).expect(200, { status: 'confirmed', email: 'twice@example.com' });
      await api()
        .post('/api/confirmations')
        .send({ token, password: GOOD_PASSWORD })
        .expect(200, { status: 'already_confirmed', email: 'twice@example.com' });
      expect(await passwordHashOf('twice@example.com')).toBeNull();
      await api().post('/api/sessions').send({ email: 'twice@example.com', password: GOOD_PASSWORD }).expect(401);
    });

    it("a second sign-up attempt cannot carry a password, and its new link does not replace the owner's", async () => {
      await confirmedAccount(stack, 'owner@example.com');
      const attempt = await api().post('/api/users').send({ email: 'owner@example.com', password: 'attacker-chosen-pass' }).expect(400);
      expect(attempt.body.message).toEqual(['property password should not exist']);
      // A pre-account attacker before the owner: the sign-up stores no password at all.
      await api().post('/api/users').send({ email: 'victim@example.com' }).expect(202);
      expect(await passwordHashOf('victim@example.com')).toBeNull();
      await api().post('/api/sessions').send({ email: 'owner@example.com', password: 'attacker-chosen-pass' }).expect(401);
      await api().post('/api/sessions').send({ email: 'owner@example.com', password: GOOD_PASSWORD }).expect(201);
    });
  });

  describe('sign-in', () => {
    it('answers one identical 401 for unknown, unconfirmed, no password, wrong password and wrong code, in similar time', async () => {
      await confirmedAccount(stack, 'haspw@example.com');
      await confirmedAccount(stack, 'nopw@example.com', null);
      await api().post('/api/users').send({ email: 'unconfirmed@example.com' }).expect(202);
      const signIn = async (body: object) => {
        const started = performance.now();
        const res = await api().post('/api/sessions').send(body);
        expect(res.status).toBe(401);
        expect(res.body).toEqual(SIGN_IN_FAILED);
        expect(Object.keys(res.headers).filter((h) => h === 'retry-after' || h === 'set-cookie')).toEqual([]);
        return performance.now() - started;
      };
      // The four password cases each spend one Argon2 verification (tens of ms): none is much faster.
      // Three interleaved rounds and their medians, so one slow moment of a busy machine decides nothing;
      // four failures per address stay under the sign-in throttle's five.
      const rounds: number[][] = [];
      for (let round = 0; round < 3; round++) {
        rounds.push([
          await signIn({ email: `nobody${round}@example.com`, password: GOOD_PASSWORD }),
          await signIn({ email: 'unconfirmed@example.com', password: GOOD_PASSWORD }),
          await signIn({ email: 'nopw@example.com', password: GOOD_PASSWORD }),
          await signIn({ email: 'haspw@example.com', password: 'wrong password here' }),
        ]);
      }
      await signIn({ email: 'haspw@example.com', code: 'ABCD2345' });
      await signIn({ email: 'nobody@example.com', code: 'ABCD2345' });
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
      const passwordCases = [0, 1, 2, 3].map((i) => median(rounds.map((round) => round[i])));
      expect(Math.min(...passwordCases)).toBeGreaterThan(Math.max(...passwordCases) / 4);
    });

    it('signs in with an emailed code: 8 characters, case-insensitive, single use; a new code voids the old one', async () => {
      await confirmedAccount(stack, 'coder@example.com', null);
      const first = await emailedCode(stack, 'coder@example.com');
      expect(first).toMatch(/^[ABCDEFGHJKMNPQRSTVWXYZ2-9]{8}$/);
      const second = await emailedCode(stack, 'coder@example.com');
      await api().post('/api/sessions').send({ email: 'coder@example.com', code: first }).expect(401);
      const res = await api().post('/api/sessions').send({ email: 'coder@example.com', code: second.toLowerCase() }).expect(201);
      expect((await me(res.body.token).expect(200)).body).toMatchObject({ email: 'coder@example.com', hasPassword: false });
      await api().post('/api/sessions').send({ email: 'coder@example.com', code: second }).expect(401); // used
    });

    it('a code dies after 5 wrong attempts and after 10 minutes', async () => {
      await confirmedAccount(stack, 'guess@example.com', null);
      const code = await emailedCode(stack, 'guess@example.com');
      const wrong = code.startsWith('A') ? 'B' + code.slice(1) : 'A' + code.slice(1);
      for (let i = 0; i < 3; i++) await api().post('/api/sessions').send({ email: 'guess@example.com', code: wrong }).expect(401);
      await stack.testApi.tokens.useUpAttempts('sign-in'); // five wrong guesses, fewer of them counted by the address throttle
      await api().post('/api/sessions').send({ email: 'guess@example.com', code }).expect(401);

      const fresh = await emailedCode(stack, 'guess@example.com');
      await stack.testApi.tokens.expireEveryLink('sign-in');
      await api().post('/api/sessions').send({ email: 'guess@example.com', code: fresh }).expect(401);
    });

    it('codes go only to confirmed addresses; every address gets the same 202', async () => {
      await confirmedAccount(stack, 'yes@example.com', null);
      await api().post('/api/users').send({ email: 'notyet@example.com' }).expect(202);
      const answers = await Promise.all(
        ['yes@example.com', 'notyet@example.com', 'nobody@example.com'].map((email) => api().post('/api/sign-in-codes').send({ email })),
      );
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
      expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
      await latestEmail('yes@example.com', /sign-in code/);
      await waitUntilIdle(stack.url);
      expect((await sesInbox.to('notyet@example.com')).map((e) => e.subject)).toEqual(['Confirm your email address']);
      expect(await sesInbox.to('nobody@example.com')).toEqual([]);
      expect(await stack.testApi.tokens.count('sign-in')).toBe(1);
    });

    it('throttles 5 failures per address in 15 minutes (429 + Retry-After), unknown addresses too, passwords and codes apart', async () => {
      await confirmedAccount(stack, 'target@example.com');
      for (const email of ['target@example.com', 'ghost@example.com']) {
        for (let i = 0; i < 5; i++)
          await api()
            .post('/api/sessions')
            .send({ email, password: `wrong-password-${i}` })
            .expect(401);
        const blocked = await api().post('/api/sessions').send({ email, password: GOOD_PASSWORD }).expect(429);
        expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
        expect(blocked.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      }
      // Another address is not affected, and the owner can still sign in with a code.
      await confirmedAccount(stack, 'bystander@example.com');
      await signIn(stack, 'bystander@example.com');
      const code = await emailedCode(stack, 'target@example.com');
      await api().post('/api/sessions').send({ email: 'target@example.com', code }).expect(201);
      // The counters hold no readable address.
      const counters = await stack.testApi.rateLimits.counters();
      expect(counters.length).toBeGreaterThan(0);
      expect(counters.map((c) => c.key).join(' ')).not.toMatch(/target|ghost|example/);
    });
  });

  describe('sessions', () => {
    it('lists sessions, ends the others with DELETE /api/me/sessions, signs out with DELETE /api/sessions/current', async () => {
      await confirmedAccount(stack, 'multi@example.com');
      const a = await signIn(stack, 'multi@example.com');
      const b = await signIn(stack, 'multi@example.com');
      const list = await api().get('/api/me/sessions').set(bearer(a)).set('User-Agent', 'TestAgent/1').expect(200);
      expect(list.body).toHaveLength(2);
      expect(list.body.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
      expect(list.body[0]).toEqual({
        id: expect.any(String),
        createdAt: expect.any(String),
        lastSeenAt: expect.any(String),
        expiresAt: expect.any(String),
        userAgent: expect.any(String),
        current: expect.any(Boolean),
      });
      await api().delete('/api/me/sessions').set(bearer(a)).expect(204);
      await me(b).expect(401);
      await me(a).expect(200);
      await api().delete('/api/sessions/current').set(bearer(a)).expect(204);
      const gone = await me(a).expect(401);
      expect(gone.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        code: 'not_signed_in',
        message: 'Sign in first: the session is missing, expired or signed out.',
      });
      await api().delete('/api/sessions/current').expect(401);
      await api().get('/api/me').set('Authorization', 'Bearer nonsense').expect(401);
    });
  });

  describe('password change', () => {
    it('needs the current password (401 wrong, 400 weak), ends every other session and emails a notice', async () => {
      await confirmedAccount(stack, 'changer@example.com');
      const current = await signIn(stack, 'changer@example.com');
      const other = await signIn(stack, 'changer@example.com');
      const put = (body: object) => api().put('/api/me/password').set(bearer(current)).send(body);
      await put({ currentPassword: 'not the password', newPassword: 'a brand new passphrase' }).expect(401);
      await put({ newPassword: 'a brand new passphrase' }).expect(401);
      expect((await put({ currentPassword: GOOD_PASSWORD, newPassword: 'qwertyuiop123' }).expect(400)).body.message).toMatch(/too common/);
      await put({ currentPassword: GOOD_PASSWORD, newPassword: 'a brand new passphrase' }).expect(204);
      await me(current).expect(200);
      await me(other).expect(401);
      await latestEmail('changer@example.com', /Your password was changed/);
      await api().post('/api/sessions').send({ email: 'changer@example.com', password: GOOD_PASSWORD }).expect(401);
      await signIn(stack, 'changer@example.com', 'a brand new passphrase');
    });

    it('lets a code-only account set a first password with a fresh code, not with its session alone', async () => {
      await confirmedAccount(stack, 'later@example.com', null);
      const code = await emailedCode(stack, 'later@example.com');
      const { body } = await api().post('/api/sessions').send({ email: 'later@example.com', code }).expect(201);
      const { body: other } = await api()
        .post('/api/sessions')
        .send({ email: 'later@example.com', code: await emailedCode(stack, 'later@example.com') })
        .expect(201);
      const refused = await api().put('/api/me/password').set(bearer(body.token)).send({ newPassword: GOOD_PASSWORD }).expect(400);
      expect(refused.body.code).toBe('proof_required');
      await api().put('/api/me/password').set(bearer(body.token)).send({ newPassword: GOOD_PASSWORD, code: 'WRONG999' }).expect(401);
      expect((await me(body.token).expect(200)).body.hasPassword).toBe(false);
      await me(other.token).expect(200); // nothing changed, nobody signed out
      const fresh = await emailedCode(stack, 'later@example.com');
      await api().put('/api/me/password').set(bearer(body.token)).send({ newPassword: GOOD_PASSWORD, code: fresh }).expect(204);
      expect((await me(body.token).expect(200)).body.hasPassword).toBe(true);
      await me(other.token).expect(401);
      await signIn(stack, 'later@example.com');
    });
  });

  describe('password reset', () => {
    it('emails a link only to confirmed addresses, answering every address alike', async () => {
      await confirmedAccount(stack, 'forgot@example.com');
      await api().post('/api/users').send({ email: 'pending@example.com' }).expect(202);
      const answers = await Promise.all(
        ['forgot@example.com', 'pending@example.com', 'nobody@example.com'].map((email) =>
          api().post('/api/password-resets').send({ email }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
      expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
      const email = await latestEmail('forgot@example.com', /Reset your password/);
      expect(email.body.text).toMatch(/http:\/\/localhost:3000\/password-reset\/[A-Za-z0-9_-]{43}/);
      expect(email.body.text).toContain('1 hour');
      await waitUntilIdle(stack.url);
      expect((await sesInbox.to('pending@example.com')).map((e) => e.subject)).toEqual(['Confirm your email address']);
      expect(await sesInbox.to('nobody@example.com')).toEqual([]);
      expect(await stack.testApi.tokens.count('password-reset')).toBe(1);
    });

    it('completes once: sets the password, ends every session, emails a notice; weak keeps the link, used/expired 410, unknown 404', async () => {
      await confirmedAccount(stack, 'reset@example.com');
      const session = await signIn(stack, 'reset@example.com');
      await api().post('/api/password-resets').send({ email: 'reset@example.com' }).expect(202);
      const token = pathToken(await latestEmail('reset@example.com', /Reset your password/), 'password-reset');
      // The page only shows a form.
      const page = await api().get(`/password-reset/${token}`).expect(200);
      expect(page.text).toContain('name="password"');
      const complete = (body: object) => api().post('/api/password-resets/complete').send(body);
      expect((await complete({ token, password: 'short' }).expect(400)).body.message).toMatch(/at least 12/);
      await complete({ token: 'x'.repeat(10), password: 'another good passphrase' }).expect(400);
      await complete({ token: 'A'.repeat(43), password: 'another good passphrase' }).expect(404);
      await complete({ token, password: 'another good passphrase' }).expect(204);
      await me(session).expect(401);
      await complete({ token, password: 'yet another passphrase' }).expect(410);
      await latestEmail('reset@example.com', /Your password was changed/);
      await signIn(stack, 'reset@example.com', 'another good passphrase');

      await stack.testApi.mail.forgetCooldowns();
      await api().post('/api/password-resets').send({ email: 'reset@example.com' }).expect(202);
      const late = pathToken(await latestEmail('reset@example.com', /Reset your password/, 2), 'password-reset');
      await stack.testApi.tokens.expireEveryLink('password-reset');
      await complete({ token: late, password: 'another good passphrase 2' }).expect(410);
    });
  });

  describe('email change', () => {
    function requestChange(token: string, body: object) {
      return api().post('/api/me/email-changes').set(bearer(token)).send(body);
    }

    it('sends a link to the new address and a cancel notice to the old; the link changes it, ends other sessions, notifies the old', async () => {
      await confirmedAccount(stack, 'old@example.com');
      const current = await signIn(stack, 'old@example.com');
      const other = await signIn(stack, 'old@example.com');
      await requestChange(current, { email: 'new@example.com', password: 'wrong password!!' }).expect(401);
      await requestChange(current, { email: 'new@example.com' }).expect(400);
      const accepted = await requestChange(current, { email: 'New@Example.com', password: GOOD_PASSWORD }).expect(202);
      const link = await latestEmail('new@example.com', /Confirm your new email address/);
      const notice = await latestEmail('old@example.com', /about to change/);
      expect(notice.body.text).toContain('new@example.com');
      expect(notice.body.text).toMatch(/\/email-change\/[A-Za-z0-9_-]{43}/);
      const token = pathToken(link, 'email-change');

      // The GET changes nothing.
      expect((await api().get(`/email-change/${token}`).expect(200)).text).toContain('new@example.com');
      expect((await me(current).expect(200)).body.email).toBe('old@example.com');

      await api().post('/api/email-changes/confirm').send({ token }).expect(200, { email: 'new@example.com' });
      expect((await me(current).expect(200)).body.email).toBe('new@example.com');
      await me(other).expect(401);
      await latestEmail('old@example.com', /Your email address was changed/);
      await api().post('/api/email-changes/confirm').send({ token }).expect(200, { email: 'new@example.com' });
      await signIn(stack, 'new@example.com');
      await api().post('/api/sessions').send({ email: 'old@example.com', password: GOOD_PASSWORD }).expect(401);
      // The old address is free again.
      await api().post('/api/users').send({ email: 'old@example.com' }).expect(202);
      expect(accepted.body).toEqual({ message: expect.any(String) });
    });

    it('answers the same for a taken address, and answers 409 when it was taken by the time the link is used', async () => {
      await confirmedAccount(stack, 'mover@example.com');
      await confirmedAccount(stack, 'taken@example.com');
      const session = await signIn(stack, 'mover@example.com');
      const free = await requestChange(session, { email: 'free@example.com', password: GOOD_PASSWORD }).expect(202);
      await stack.testApi.mail.forgetCooldowns();
      const taken = await requestChange(session, { email: 'taken@example.com', password: GOOD_PASSWORD }).expect(202);
      expect(taken.body).toEqual(free.body);

      const token = pathToken(await latestEmail('free@example.com', /Confirm your new email address/), 'email-change');
      await api().post('/api/users').send({ email: 'free@example.com' }).expect(202); // taken meanwhile
      const conflict = await api().post('/api/email-changes/confirm').send({ token }).expect(409);
      expect(conflict.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect((await me(session).expect(200)).body.email).toBe('mover@example.com');
      const page = await api().get(`/email-change/${token}`).expect(200);
      expect(page.text).toContain('free@example.com');
      await api()
        .post('/api/email-changes/confirm')
        .send({ token: 'A'.repeat(43) })
        .expect(404);
      await api().post('/api/email-changes/confirm').send({ token: 'short' }).expect(400);
      await stack.testApi.tokens.expireEveryLink('email-change');
      await api().post('/api/email-changes/confirm').send({ token }).expect(410);
    });

    it('is cancelled from the old address: the link to the new one stops working', async () => {
      await confirmedAccount(stack, 'keep@example.com', null);
      const code = await emailedCode(stack, 'keep@example.com');
      const { body } = await api().post('/api/sessions').send({ email: 'keep@example.com', code }).expect(201);
      // No password: a fresh code is the proof.
      const proof = await emailedCode(stack, 'keep@example.com');
      await requestChange(body.token, { email: 'hijack@example.com', code: proof }).expect(202);
      const changeToken = pathToken(await latestEmail('hijack@example.com', /Confirm your new email address/), 'email-change');
      const cancelToken = pathToken(await latestEmail('keep@example.com', /about to change/), 'email-change');
      await api().post('/api/email-changes/cancel').send({ token: cancelToken }).expect(200, { email: 'keep@example.com' });
      await api().post('/api/email-changes/confirm').send({ token: changeToken }).expect(410);
      expect((await me(body.token).expect(200)).body.email).toBe('keep@example.com');
    });
  });

  describe('deletion', () => {
    it('needs the password or a fresh code, removes the user with tokens, sessions and unsent mail (the deletion notice alone outlives it), and frees the address', async () => {
      await confirmedAccount(stack, 'leaving@example.com');
      const id = await userId('leaving@example.com');
      const session = await signIn(stack, 'leaving@example.com');
      await api().delete('/api/me').set(bearer(session)).send({ password: 'not my password' }).expect(401);
      await api().delete('/api/me').set(bearer(session)).send({}).expect(400);
      await api().delete('/api/me').set(bearer(session)).send({ password: GOOD_PASSWORD }).expect(204);
      await me(session).expect(401);
      expect({
        users: await userCount(stack.url),
        tokens: await stack.testApi.tokens.count(),
        sessions: (await stack.web.get(SessionsService).list(id)).length,
        outbox: await stack.testApi.mail.outboxKinds(),
        password: await stack.web.get(PasswordsService).hashOf(id),
      }).toEqual({ users: 0, tokens: 0, sessions: 0, outbox: ['account-deleted'], password: null });
      await latestEmail('leaving@example.com', /^Your account was deleted$/);
      await sesInbox.clear();
      await confirmedAccount(stack, 'leaving@example.com', 'a password for the new account');
      await signIn(stack, 'leaving@example.com', 'a password for the new account');
    });

    it('takes a fresh code for an account without a password', async () => {
      await confirmedAccount(stack, 'codeonly@example.com', null);
      const signInWith = await emailedCode(stack, 'codeonly@example.com');
      const { body } = await api().post('/api/sessions').send({ email: 'codeonly@example.com', code: signInWith }).expect(201);
      await api().delete('/api/me').set(bearer(body.token)).send({ code: signInWith }).expect(401); // used
      const fresh = await emailedCode(stack, 'codeonly@example.com');
      await api().delete('/api/me').set(bearer(body.token)).send({ code: fresh }).expect(204);
      expect(await userCount(stack.url)).toBe(0);
    });
  });
});
