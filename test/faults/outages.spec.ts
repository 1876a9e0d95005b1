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

describe('a dropped database connection', () => {
  let stack: Stack;
  let pg: Awaited<ReturnType<typeof tcpProxy>>;
  beforeAll(async () => {
    const db = new URL(process.env.DATABASE_URL!);
    pg = await tcpProxy({ host: db.hostname, port: Number(db.port || 5432) });
    stack = await startStack({ DATABASE_URL: withPort(db.toString(), pg.port) }, { worker: false });
  });
  afterAll(async () => {
    await pg?.restore().catch(() => undefined);
    await stack?.close();
    await pg?.close();
  });

  it('gets 503 with Retry-After (never a 500), on the API and the form, and the same request works once it is back', async () => {
    await request(stack.url).post('/api/users').send({ email: 'before.drop@example.com' }).expect(202);
    const browser = request.agent(stack.url);
    const csrf = csrfFrom((await browser.get('/').expect(200)).text);

    await pg.cut(); // every open connection dropped, new ones refused
    const api = await request(stack.url).post('/api/users').send({ email: 'during.drop@example.com' });
    expect(api.status).toBe(503);
    expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);
    expect(api.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    const confirm = await request(stack.url)
      .post('/api/confirmations')
      .send({ token: 'A'.repeat(43) });
    expect(confirm.status).toBe(503);
    expect(Number(confirm.headers['retry-after'])).toBeGreaterThan(0);
    const form = await browser.post('/').type('form').send({ email: 'during.drop@example.com', _csrf: csrf });
    expect(form.status).toBe(503);
    expect(Number(form.headers['retry-after'])).toBeGreaterThan(0);
    expect(form.headers['content-type']).toMatch(/text\/html/);

    await pg.restore();
    await waitFor(async () => (await request(stack.url).post('/api/users').send({ email: 'during.drop@example.com' })).status === 202, {
      timeoutMs: 15_000,
      what: 'the same sign-up to be accepted again',
    });
  });
});

describe('rate limits while Redis is away', () => {
  let stack: Stack;
  let redis: Awaited<ReturnType<typeof tcpProxy>>;
  beforeAll(async () => {
    const rd = new URL(process.env.REDIS_URL!);
    redis = await tcpProxy({ host: rd.hostname, port: Number(rd.port || 6379) });
    stack = await startStack({ REDIS_URL: withPort(rd.toString(), redis.port), RATE_LIMIT_PER_MINUTE: '2' }, { worker: false });
  });
  afterAll(async () => {
    await redis?.restore().catch(() => undefined);
    await stack?.close();
    await redis?.close();
  });

  const signUp = (n: number) =>
    request(stack.url)
      .post('/api/users')
      .send({ email: `open.${n}@example.com` });

  it('are off (fail open) rather than refusing sign-ups, and back on once Redis is', async () => {
    // Until the limiter's own Redis connection is up, it fails open too: wait until another
    // action's budget is seen to run out.
    await waitFor(
      async () =>
        (
          await request(stack.url)
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

    await redis.cut();
    const during = [];
    for (let i = 4; i < 10; i++) during.push((await signUp(i)).status);
    expect(during).toEqual(Array(6).fill(202)); // past the limit, yet accepted

    await redis.restore();
    await waitFor(async () => (await signUp(10)).status === 429, { timeoutMs: 15_000, what: 'the limit to apply again' });
  });
});
