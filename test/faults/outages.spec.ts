/**
 * What a client sees while PostgreSQL or Redis is away (the app reaches each through a relay the
 * test can cut, so the shared services stay up for everyone else).
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom } from '../support/api.js';
import { startStack, type Stack } from '../support/stack.js';
import { tcpProxy, withPort } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait-for.js';

/** For the tests of a describe: a stack without worker that reaches one service through a relay they can cut. */
function stackThroughRelay(service: 'DATABASE_URL' | 'REDIS_URL', overrides: Record<string, string> = {}) {
  const services = {} as { stack: Stack; relay: Awaited<ReturnType<typeof tcpProxy>> };
  beforeAll(async () => {
    const url = new URL(process.env[service]!);
    services.relay = await tcpProxy({ host: url.hostname, port: Number(url.port || (service === 'REDIS_URL' ? 6379 : 5432)) });
    services.stack = await startStack({ ...overrides, [service]: withPort(url.toString(), services.relay.port) }, { worker: false });
  });
  afterAll(async () => {
    await services.relay?.restore().catch(() => undefined);
    await services.stack?.close();
    await services.relay?.close();
  });
  return services;
}

describe('a dropped database connection', () => {
  const through = stackThroughRelay('DATABASE_URL');

  it('gets 503 with Retry-After (never a 500), on the API and the form, and the same request works once it is back', async () => {
    await request(through.stack.url).post('/api/users').send({ email: 'before.drop@example.com' }).expect(202);
    const browser = request.agent(through.stack.url);
    const csrf = csrfFrom((await browser.get('/').expect(200)).text);

    await through.relay.cut(); // every open connection dropped, new ones refused
    const api = await request(through.stack.url).post('/api/users').send({ email: 'during.drop@example.com' });
    expect(api.status).toBe(503);
    expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);
    expect(api.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    const confirm = await request(through.stack.url)
      .post('/api/confirmations')
      .send({ token: 'A'.repeat(43) });
    expect(confirm.status).toBe(503);
    expect(Number(confirm.headers['retry-after'])).toBeGreaterThan(0);
    const form = await browser.post('/').type('form').send({ email: 'during.drop@example.com', _csrf: csrf });
    expect(form.status).toBe(503);
    expect(Number(form.headers['retry-after'])).toBeGreaterThan(0);
    expect(form.headers['content-type']).toMatch(/text\/html/);

    await through.relay.restore();
    await waitFor(
      async () => (await request(through.stack.url).post('/api/users').send({ email: 'during.drop@example.com' })).status === 202,
      {
        timeoutMs: 15_000,
        what: 'the same sign-up to be accepted again',
      },
    );
  });
});

describe('rate limits while Redis is away', () => {
  const through = stackThroughRelay('REDIS_URL', { RATE_LIMIT_PER_MINUTE: '2' });

  const signUp = (n: number) =>
    request(through.stack.url)
      .post('/api/users')
      .send({ email: `open.${n}@example.com` });

  it('are off (fail open) rather than refusing sign-ups, and back on once Redis is', async () => {
    // Until the limiter's own Redis connection is up, it fails open too: wait until another
    // action's budget is seen to run out.
    await waitFor(
      async () =>
        (
          await request(through.stack.url)
            .post('/api/confirmations')
            .send({ token: 'A'.repeat(43) })
        ).status === 429,
      {
        what: 'the rate limiter to be on',
      },
    );
    expect((await signUp(1)).status).toBe(202);
    expect((await signUp(2)).status).toBe(202);
    expect((await signUp(3)).status).toBe(429); // the limit works while Redis answers

    await through.relay.cut();
    const during = [];
    for (let i = 4; i < 10; i++) during.push((await signUp(i)).status);
    expect(during).toEqual(Array(6).fill(202)); // past the limit, yet accepted

    await through.relay.restore();
    await waitFor(async () => (await signUp(10)).status === 429, { timeoutMs: 15_000, what: 'the limit to apply again' });
  });
});

describe('the sign-in throttle while Redis is away', () => {
  const through = stackThroughRelay('REDIS_URL');

  const signIn = (email: string) => request(through.stack.url).post('/api/sessions').send({ email, password: 'a wrong password' });

  it('lets sign-ins be judged (fail open) rather than refusing them, and throttles again once Redis is back', async () => {
    await waitFor(async () => (await signIn('held@example.com')).status === 429, { what: 'the throttle to hold an address' });

    await through.relay.cut();
    const during = [];
    for (let i = 0; i < 7; i++) during.push((await signIn('held@example.com')).status);
    expect(during).toEqual(Array(7).fill(401)); // judged, past the 5 attempts: nothing counts them

    await through.relay.restore();
    await waitFor(async () => (await signIn('held@example.com')).status === 429, { timeoutMs: 15_000, what: 'the throttle to hold again' });
  });
});
