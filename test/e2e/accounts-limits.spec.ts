import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RateLimitStore } from '../../src/rate-limit/rate-limit.store.js';
import { GOOD_PASSWORD, bearer, confirmedAccount, latestEmail, pathToken, signIn } from '../support/accounts.js';
import { everythingStored } from '../support/database-scan.js';
import { runServices } from '../support/processes.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sessions expire (SESSION_IDLE_SECONDS=2, SESSION_MAX_SECONDS=5)', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ SESSION_IDLE_SECONDS: '2', SESSION_MAX_SECONDS: '5' })));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  it('ends a session unused for longer than the idle timeout', async () => {
    await confirmedAccount(stack, 'idle@example.com');
    const token = await signIn(stack, 'idle@example.com');
    await request(stack.url).get('/api/me').set(bearer(token)).expect(200);
    await sleep(2_500);
    await request(stack.url).get('/api/me').set(bearer(token)).expect(401);
  });

  it('ends a session at its absolute lifetime however active, at the expiresAt it was given', async () => {
    await confirmedAccount(stack, 'busy@example.com');
    const res = await request(stack.url).post('/api/sessions').send({ email: 'busy@example.com', password: GOOD_PASSWORD }).expect(201);
    const expiresAt = Date.parse(res.body.expiresAt);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(5_000);
    while (Date.now() < expiresAt - 300) {
      await request(stack.url).get('/api/me').set(bearer(res.body.token)).expect(200); // kept active: idle never reached
      await sleep(1_000);
    }
    await sleep(Math.max(0, expiresAt - Date.now()) + 200);
    await request(stack.url).get('/api/me').set(bearer(res.body.token)).expect(401);
  });
});

describe('per-IP limits on the account routes (RATE_LIMIT_PER_MINUTE=3)', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ RATE_LIMIT_PER_MINUTE: '3' })));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  it('limits sign-in, code and reset requests per client IP, whatever the address', async () => {
    for (const [path, body] of [
      ['/api/sessions', (i: number) => ({ email: `ip${i}@example.com`, password: 'whatever password' })],
      ['/api/sign-in-codes', (i: number) => ({ email: `ip${i}@example.com` })],
      ['/api/password-resets', (i: number) => ({ email: `ip${i}@example.com` })],
    ] as const) {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await request(stack.url).post(path).send(body(i))).status);
      expect(statuses.slice(3)).toEqual([429]);
      const limited = await request(stack.url).post(path).send(body(9));
      expect(limited.headers['retry-after']).toBeDefined();
    }
  });

  it('limits email-change requests per client IP (too_many_requests, not a cooldown), whatever the account', async () => {
    const sessions: string[] = [];
    for (let i = 0; i < 4; i++) {
      sessions.push(await signIn(stack, await confirmedAccount(stack, `changer${i}@example.com`)));
      await stack.web.get(RateLimitStore).clear(); // what setting the account up counted
    }
    const answers = [];
    for (const [i, session] of sessions.entries()) {
      answers.push(
        await request(stack.url)
          .post('/api/me/email-changes')
          .set(bearer(session))
          .send({ email: `moved${i}@example.com`, password: GOOD_PASSWORD }),
      );
    }
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 429]);
    expect(answers[3].body).toMatchObject({ code: 'too_many_requests' });
    expect(Number(answers[3].headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('no password, code or session token in any log line or job (real processes, debug logs)', () => {
  let services: Awaited<ReturnType<typeof runServices>>;
  beforeAll(async () => {
    await sesInbox.clear();
    services = await runServices({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json' });
  });
  afterAll(async () => services?.stop());

  it("keeps every secret of the account flows out of both processes' output and out of queued jobs", async () => {
    const address = `secretive-${Date.now()}@example.com`;
    const password = 'my very secret passphrase 42';
    await request(services.url).post('/api/users').send({ email: address }).expect(202);
    const confirmToken = linkToken((await sesInbox.waitFor(address))[0]);
    await request(services.url).get(`/confirm/${confirmToken}`).expect(200);
    await request(services.url).post('/api/confirmations').send({ token: confirmToken, password }).expect(200);
    const session = (await request(services.url).post('/api/sessions').send({ email: address, password }).expect(201)).body.token as string;
    await request(services.url).post('/api/sessions').send({ email: address, password: 'a wrong secret guess' }).expect(401);

    await request(services.url).post('/api/sign-in-codes').send({ email: address }).expect(202);
    const codeEmail = await latestEmail(address, /sign-in code/);
    const code = /code=([A-Z0-9]{8})/.exec(codeEmail.body.text!)![1];
    await request(services.url)
      .get(`/sign-in?email=${encodeURIComponent(address)}&code=${code}`)
      .expect(200);
    const codeSession = (await request(services.url).post('/api/sessions').send({ email: address, code }).expect(201)).body.token as string;
    await request(services.url).get('/api/me').set(bearer(codeSession)).expect(200);

    const newPassword = 'another very secret phrase';
    await request(services.url).put('/api/me/password').set(bearer(session)).send({ currentPassword: password, newPassword }).expect(204);
    await request(services.url).post('/api/password-resets').send({ email: address }).expect(202);
    const resetToken = pathToken(await latestEmail(address, /Reset your password/), 'password-reset');
    await request(services.url).get(`/password-reset/${resetToken}`).expect(200);
    const resetPassword = 'a third very secret phrase';
    await request(services.url).post('/api/password-resets/complete').send({ token: resetToken, password: resetPassword }).expect(204);
    const last = (await request(services.url).post('/api/sessions').send({ email: address, password: resetPassword }).expect(201)).body
      .token as string;
    const newAddress = `moved-${Date.now()}@example.com`;
    await request(services.url)
      .post('/api/me/email-changes')
      .set(bearer(last))
      .send({ email: newAddress, password: resetPassword })
      .expect(202);
    const changeToken = pathToken(await latestEmail(newAddress, /Confirm your new email/), 'email-change');
    const cancelToken = pathToken(await latestEmail(address, /about to change/), 'email-change');
    await request(services.url).get(`/email-change/${changeToken}`).expect(200);
    await request(services.url).get(`/email-change/${cancelToken}`).expect(200);
    await request(services.url).post('/api/email-changes/confirm').send({ token: changeToken }).expect(200);
    await latestEmail(address, /Your email address was changed/);

    const secrets = [
      password,
      newPassword,
      resetPassword,
      code,
      session,
      codeSession,
      last,
      confirmToken,
      resetToken,
      changeToken,
      cancelToken,
    ];
    const output = services.web.output() + services.worker.output();
    expect(output).toContain('request completed'); // the logs are there to be searched
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toContain(encodeURIComponent(address));

    // Jobs carry ids only (what BullMQ keeps of each: data, options, results, errors); the outbox
    // payloads addresses and ids; no table holds a secret.
    const reader = await startStack({}, { worker: false }); // the services' queue and database, read in this process
    try {
      const jobs = await reader.queue.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed']);
      expect(jobs.length).toBeGreaterThan(5);
      const kept = JSON.stringify(jobs.map((job) => job.asJSON()));
      const stored = await everythingStored(reader);
      for (const secret of secrets) {
        expect(kept).not.toContain(secret);
        expect(stored).not.toContain(secret);
      }
    } finally {
      await reader.close();
    }
  });
});
