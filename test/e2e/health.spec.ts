import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DatabaseService } from '../../src/database/database.service.js';
import { sample, scrape } from '../support/metrics.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { tcpProxy, withPort } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait-for.js';

const admin = { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` };

const health = async (stack: Stack, headers: Record<string, string> = {}) => {
  const res = await request(stack.url).get('/health').set(headers);
  return { status: res.status, body: res.body, details: res.body.details };
};

describe('/health through PostgreSQL and Redis outages (the app reaches them through cuttable relays)', () => {
  let stack: Stack;
  let pg: Awaited<ReturnType<typeof tcpProxy>>;
  let redis: Awaited<ReturnType<typeof tcpProxy>>;

  beforeAll(async () => {
    const db = new URL(process.env.DATABASE_URL!);
    const rd = new URL(process.env.REDIS_URL!);
    pg = await tcpProxy({ host: db.hostname, port: Number(db.port || 5432) });
    redis = await tcpProxy({ host: rd.hostname, port: Number(rd.port || 6379) });
    stack = await startStack(
      { DATABASE_URL: withPort(db.toString(), pg.port), REDIS_URL: withPort(rd.toString(), redis.port) },
      { worker: false },
    );
  });
  afterAll(async () => {
    await pg?.restore().catch(() => undefined);
    await redis?.restore().catch(() => undefined);
    await stack?.close();
    await pg?.close();
    await redis?.close();
  });

  it('answers 200 with PostgreSQL and Redis up: only up/down for anyone, details with the admin token', async () => {
    const res = await request(stack.url).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', details: { database: { status: 'up' }, redis: { status: 'up' } } });
    const detailed = await request(stack.url).get('/health').set(admin).expect(200);
    // Earlier test files may leave jobs without a worker: the count is whatever waits.
    expect(detailed.body.details).toEqual({ database: { status: 'up' }, redis: { status: 'up', waiting: expect.any(Number) } });
    // A wrong token is no admin: the public answer.
    const wrong = await request(stack.url).get('/health').set('Authorization', 'Bearer wrong-token-0123456789').expect(200);
    expect(wrong.body).toEqual(res.body);
    await request(stack.url).get('/health/live').expect(200, { status: 'ok' });
  });

  it('answers 503 while PostgreSQL is unreachable, and 200 again once it is back', async () => {
    await pg.cut();
    const down = await waitFor(async () => ((await health(stack)).status === 503 ? health(stack) : null), {
      timeoutMs: 10_000,
      what: '503 from /health',
    });
    expect(down.details.database.status).toBe('down');
    await request(stack.url).get('/health/live').expect(200);

    await pg.restore();
    await waitFor(async () => (await health(stack)).status === 200, { timeoutMs: 15_000, what: '200 from /health' });
  });

  it('answers 503 while Redis is unreachable, and 200 again once it is back', async () => {
    await redis.cut();
    const down = await waitFor(async () => ((await health(stack)).status === 503 ? health(stack) : null), {
      timeoutMs: 10_000,
      what: '503 from /health',
    });
    expect(down.body).toEqual({ status: 'error', details: { database: { status: 'up' }, redis: { status: 'down' } } });
    // Why, and where, only for the admin: the connection error names the address it tried.
    await new Promise((r) => setTimeout(r, 1100)); // past the one-second cache
    const detailed = await health(stack, admin);
    expect(detailed.status).toBe(503);
    expect(detailed.details.redis).toMatchObject({ status: 'down', message: expect.any(String) });
    expect(JSON.stringify(down.body)).not.toMatch(/message|127\.0\.0\.1|ECONN|timeout/i);

    await redis.restore();
    await waitFor(async () => (await health(stack)).status === 200, { timeoutMs: 15_000, what: '200 from /health' });
  });

  it('keeps /metrics answering through a Redis outage, with the registrations waiting in the outbox', async () => {
    await resetState(stack);
    await redis.cut();
    await request(stack.url).post('/api/users').send({ email: 'outage@example.com' }).expect(202);
    const during = await scrape(stack.url);
    expect(sample(during, 'signup_outbox_backlog')).toBe(1);

    await redis.restore();
    await waitFor(async () => sample(await scrape(stack.url), 'signup_outbox_backlog') === 0, {
      timeoutMs: 20_000,
      what: 'the relay to empty the outbox',
    });
  });
});

describe('/health/sending and the queue backlog', () => {
  it('answers 503 on /health/sending, not on /health, when more jobs wait than HEALTH_MAX_BACKLOG', async () => {
    const stack = await startStack({ HEALTH_MAX_BACKLOG: '2' }, { worker: false });
    try {
      await stack.queue.obliterate({ force: true });
      await request(stack.url)
        .get('/health/sending')
        .expect(200, {
          status: 'ok',
          details: { ses: { status: 'up' }, backlog: { status: 'up' }, newAddresses: { status: 'up' }, reputation: { status: 'up' } },
        });
      // Jobs of an unknown name nobody processes: no worker runs here anyway.
      await stack.queue.addBulk([1, 2, 3].map((n) => ({ name: 'backlog-probe', data: { outboxId: `probe-${n}` } })));
      await new Promise((r) => setTimeout(r, 1100)); // past the one-second cache
      // A backlog is for workers to clear: this instance still takes sign-ups.
      await request(stack.url).get('/health').expect(200);
      const anonymous = await request(stack.url).get('/health/sending').expect(503);
      expect(anonymous.body).toEqual({
        status: 'error',
        details: { ses: { status: 'up' }, backlog: { status: 'down' }, newAddresses: { status: 'up' }, reputation: { status: 'up' } },
      });
      const res = await request(stack.url).get('/health/sending').set(admin).expect(503);
      expect(res.body.details.backlog).toEqual({ status: 'down', backlog: 3, max: 2 });
    } finally {
      await stack.queue.obliterate({ force: true });
      await stack.close();
    }
  });
});

describe('/health under a flood', () => {
  it('checks PostgreSQL at most once a second however many ask', async () => {
    const stack = await startStack({}, { worker: false });
    try {
      const pings = vi.spyOn(stack.web.get(DatabaseService), 'ping');
      const answers = await Promise.all(Array.from({ length: 50 }, () => request(stack.url).get('/health')));
      expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200]));
      expect(pings).toHaveBeenCalledTimes(1);
    } finally {
      await stack.close();
    }
  });
});
