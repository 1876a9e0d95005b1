import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SendingPauseService } from '../../src/mail/sending-pause.service.js';
import { confirmedAccount, emailedCode, GOOD_PASSWORD } from '../support/accounts.js';
import { adminUser, adminUsers, register } from '../support/api.js';
import { addresses, registerAll, tally } from '../support/load.js';
import { runDist, runServices } from '../support/processes.js';
import { PAUSED, REJECTED, startSesFaultProxy, type SesFault } from '../support/ses-fault-proxy.js';
import { sesInbox } from '../support/ses-inbox.js';
import { resetState, resetStateWithoutStack, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Runs in both Vitest projects (QUEUE_BACKEND=redis and =postgres): everything the service keeps
 * outside its own tables must work, and stay where the backend says.
 */
const BACKEND = process.env.QUEUE_BACKEND === 'postgres' ? 'postgres' : 'redis';
const admin = { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` };

/** The rate-limit keys the backend holds right now. */
const storedLimitKeys = async (stack: Stack): Promise<string[]> => (await stack.testApi.rateLimits.counters()).map((c) => c.key);

describe(`shared state in ${BACKEND} mode`, () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack()));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  it('runs on the backend it was given, and /health checks Redis only in redis mode', async () => {
    expect(stack.env.QUEUE_BACKEND).toBe(BACKEND);
    const health = await request(stack.url).get('/health').set(admin).expect(200);
    expect(Object.keys(health.body.details).sort()).toEqual(BACKEND === 'redis' ? ['database', 'redis'] : ['database']);
    if (BACKEND === 'postgres') {
      // The jobs are in BullMQ's own schema, and the REDIS_URL of this project points where nothing listens.
      expect(new URL(stack.env.REDIS_URL).port).toBe('9');
      // SES_MAX_SEND_RATE, the global rate limit, held by the PostgreSQL backend.
      expect(await stack.queue.getGlobalRateLimit()).toEqual({ max: stack.env.SES_MAX_SEND_RATE, duration: 1000 });
    }
  });

  it('limits a client IP (429 with Retry-After), counting in the backend and under no readable address', async () => {
    const limited = await startStack({ RATE_LIMIT_PER_MINUTE: '3' }, { worker: false });
    try {
      for (let i = 1; i <= 3; i++)
        await request(limited.url)
          .post('/api/users')
          .send({ email: `ip${i}@example.com` })
          .expect(202);
      const refused = await request(limited.url).post('/api/users').send({ email: 'ip4@example.com' }).expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      const keys = await storedLimitKeys(limited);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(key).not.toMatch(/127\.0\.0\.1|::1/);
      // Another action has its own budget.
      await request(limited.url).post('/api/confirmations/resend').send({ email: 'ip1@example.com' }).expect(202);
    } finally {
      await limited.close();
    }
  });

  it('locks a client out of admin after 10 wrong tokens, even with the right one', async () => {
    for (let i = 0; i < 10; i++) await request(stack.url).get('/api/admin/users').set('Authorization', `Bearer wrong-${i}`).expect(401);
    const locked = await request(stack.url).get('/api/admin/users').set(admin).expect(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Stored, under an HMAC: neither the kind of counter nor the client can be read from the key.
    const keys = await storedLimitKeys(stack);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).not.toMatch(/admin|127\.0\.0\.1|::1/);
  });

  it('throttles sign-in for an address after 5 failures, with Retry-After, known or not', async () => {
    const email = await confirmedAccount(stack, 'throttled@example.com');
    for (const address of [email, 'nobody@example.com']) {
      for (let i = 0; i < 5; i++) {
        await request(stack.url)
          .post('/api/sessions')
          .send({ email: address, password: `wrong password ${i}` })
          .expect(401);
      }
      const blocked = await request(stack.url)
        .post('/api/sessions')
        .send({ email: address, password: 'correct horse battery staple' })
        .expect(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    }
  });

  const signIn = (email: string, password: string) => request(stack.url).post('/api/sessions').send({ email, password });

  it('holds the sign-in throttle at exactly 5 failures under 50 concurrent wrong passwords, known address or not', async () => {
    const known = await confirmedAccount(stack, 'raced@example.com');
    for (const email of [known, 'unknown-raced@example.com']) {
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => signIn(email, `wrong password ${i}`)));
      const statuses = answers.map((a) => a.status);
      expect({ email, failed: statuses.filter((s) => s === 401).length, throttled: statuses.filter((s) => s === 429).length }).toEqual({
        email,
        failed: 5,
        throttled: 45,
      });
      const right = await signIn(email, GOOD_PASSWORD).expect(429);
      expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(right.headers['retry-after'])).toBeLessThanOrEqual(900);
    }
    // Codes are counted apart: the owner still signs in with an emailed one.
    const code = await emailedCode(stack, known);
    await request(stack.url).post('/api/sessions').send({ email: known, code }).expect(201);
  });

  it('signs in with the right password within the budget, which spends none of it', async () => {
    const email = await confirmedAccount(stack, 'owner@example.com');
    for (let i = 0; i < 4; i++) await signIn(email, `wrong password ${i}`).expect(401);
    await signIn(email, GOOD_PASSWORD).expect(201);
    await signIn(email, 'wrong password 4').expect(401); // the fifth failure
    await signIn(email, GOOD_PASSWORD).expect(429);
  });

  it('lifts the sign-in throttle 15 minutes after the fifth failure, counting Retry-After down to it', async () => {
    const email = await confirmedAccount(stack, 'patient@example.com');
    for (let i = 0; i < 5; i++) await signIn(email, `wrong password ${i}`).expect(401);
    const blocked = await signIn(email, GOOD_PASSWORD).expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(890);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(900);

    await stack.testApi.rateLimits.letTimePass(14 * 60_000 + 50_000);
    const almost = await signIn(email, GOOD_PASSWORD).expect(429);
    expect(Number(almost.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(almost.headers['retry-after'])).toBeLessThanOrEqual(10);

    await stack.testApi.rateLimits.letTimePass(11_000);
    await signIn(email, GOOD_PASSWORD).expect(201);
    // A new window: five failures again before the next 429.
    for (let i = 0; i < 5; i++) await signIn(email, `wrong password ${i}`).expect(401);
    await signIn(email, GOOD_PASSWORD).expect(429);
  });
});

describe(`an SES pause in ${BACKEND} mode (SES answers AccountSendingPaused to the worker)`, () => {
  // After SES's answer the workers wait 3 s before they try again; the shared pause lasts 6 s
  // unless a send that goes through ends it earlier.
  const RETRY_SECONDS = 3;
  /** What the SES stand-in answers a SendEmail call (null: passed on to the emulator). */
  let answer: (recipient: string, previousCalls: number) => SesFault | null = () => null;
  let ses: Awaited<ReturnType<typeof startSesFaultProxy>>;
  let stack: Stack;
  beforeAll(async () => {
    ses = await startSesFaultProxy((recipient, previousCalls) => answer(recipient, previousCalls));
    stack = await startStack({ AWS_ENDPOINT_URL_SES: ses.url, SES_PAUSED_RETRY_SECONDS: String(RETRY_SECONDS) });
  });
  afterAll(async () => {
    await stack?.close();
    await ses?.close();
  });
  beforeEach(async () => {
    answer = () => null;
    await resetState(stack);
  });

  const sendingHealth = () => request(stack.url).get('/health/sending').set(admin);
  const sesCallsPassed = () => ses.log.filter((call) => call.outcome === 'passed').length;
  /** Why the web sees sending paused by SES, or null (read afresh, where /health/sending keeps its answer for a second). */
  const pauseReason = () => stack.web.get(SendingPauseService).sesPauseReason();

  /** /health/sending once it answers 503 (it is checked at most once a second). */
  const sendingDown = () =>
    waitFor(
      async () => {
        const res = await sendingHealth();
        return res.status === 503 ? res : null;
      },
      { what: '/health/sending 503' },
    );

  it('is shared from the worker to the web, said in /health/sending, and ended by the next send that goes through', async () => {
    answer = () => PAUSED;
    expect(await register(stack.url, 'paused@example.com')).toBe(202);
    const down = await sendingDown();
    expect(down.body.details.ses).toMatchObject({ status: 'down', message: expect.stringContaining('AccountSendingPaused') });
    expect(await sesInbox.to('paused@example.com')).toEqual([]);

    answer = () => null;
    await sesInbox.waitFor('paused@example.com', 1, (RETRY_SECONDS + 2) * 1000);
    // Ended by that send, not by time: the pause would last another RETRY_SECONDS.
    await waitFor(async () => (await pauseReason()) === null, { timeoutMs: 2_000, what: 'the send to end the pause' });
    await waitFor(async () => (await sendingHealth()).status === 200, { what: '/health/sending 200' });
    expect((await adminUser(stack.url, 'paused@example.com'))?.emailError).toBeNull(); // a pause is not a failure
  });

  it('expires by itself when no send goes through to end it', async () => {
    // Paused once, then refused for good: the email fails, and nothing is sent that could end the pause.
    answer = (_, previousCalls) => (previousCalls === 0 ? PAUSED : REJECTED);
    const passedBefore = sesCallsPassed();
    expect(await register(stack.url, 'refused@example.com')).toBe(202);
    await sendingDown();
    await waitFor(async () => /^MessageRejected/.test((await adminUser(stack.url, 'refused@example.com'))?.emailError ?? ''), {
      timeoutMs: (RETRY_SECONDS + 2) * 1000,
      what: 'the email failed for good',
    });
    expect(await pauseReason()).toMatch(/AccountSendingPaused/); // a refusal ends nothing
    await waitFor(async () => (await sendingHealth()).status === 200, {
      timeoutMs: (RETRY_SECONDS + 3) * 1000,
      what: 'the pause to expire',
    });
    expect(await pauseReason()).toBeNull();
    expect(sesCallsPassed()).toBe(passedBefore);
  });
});

describe(`worker SIGKILL in ${BACKEND} mode (real processes)`, () => {
  beforeAll(async () => resetStateWithoutStack());

  it('loses no email when the worker is SIGKILLed mid-send', { timeout: 90_000 }, async () => {
    const N = 150;
    const concurrency = 10;
    const env = { SES_MAX_SEND_RATE: '60', WORKER_CONCURRENCY: String(concurrency) };
    const services = await runServices(env);
    const workers = [services.worker];
    try {
      const emails = addresses(`kill-${BACKEND}`, N);
      expect((await registerAll(services.url, emails)).every((s) => s === 202)).toBe(true);
      await waitFor(async () => (await sesInbox.toAny(emails)).length >= 40, { timeoutMs: 30_000, what: '40 emails' });
      await workers[0].stop('SIGKILL');
      const sentBefore = (await sesInbox.toAny(emails)).length;
      expect(sentBefore).toBeLessThan(N); // killed mid-run, not after
      workers.push(runDist('main.worker.js', { ...env, PORT: '0' }));
      const result = await waitFor(
        async () => {
          const t = tally(await sesInbox.all(), emails);
          return t.missing === 0 ? t : null;
        },
        { timeoutMs: 60_000, intervalMs: 500, what: `${N} emails` },
      );
      expect(result.delivered).toBe(N);
      // At most the jobs in flight at the kill are sent twice (at-least-once).
      expect(result.duplicates).toBeLessThanOrEqual(concurrency);
      // Every send recorded too, not only made: the admin API shows each address's email as sent.
      const unsent = async () => (await adminUsers(services.url, { limit: 1000 })).filter((u) => !u.emailSent).length;
      const left = await unsent();
      await waitFor(async () => (await unsent()) === 0, { timeoutMs: 15_000, what: `every send recorded (${left} left)` });
    } finally {
      await services.web.stop();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});
