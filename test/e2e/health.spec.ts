import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample, scrape } from '../support/metrics.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { tcpProxy, withPort } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait-for.js';

const health = async (stack: Stack) => {
  const res = await request(stack.url).get('/health');
  return { status: res.status, details: res.body.details ?? res.body.error };
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

  it('answers 200 with every check up, including the queue backlog against HEALTH_MAX_BACKLOG', async () => {
    const res = await request(stack.url).get('/health').expect(200);
    expect(res.body.details).toMatchObject({
      database: { status: 'up' },
      redis: { status: 'up' },
      backlog: { status: 'up', backlog: 0, max: 10000 },
    });
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
    expect(down.details.redis.status).toBe('down');
    expect(down.details.database.status).toBe('up');

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

describe('/health and the queue backlog', () => {
  it('answers 503 when more jobs wait than HEALTH_MAX_BACKLOG', async () => {
    const stack = await startStack({ HEALTH_MAX_BACKLOG: '2' }, { worker: false });
    try {
      await stack.queue.obliterate({ force: true });
      await request(stack.url).get('/health').expect(200);
      // Jobs of an unknown name nobody processes: no worker runs here anyway.
      await stack.queue.addBulk([1, 2, 3].map((n) => ({ name: 'backlog-probe', data: { outboxId: `probe-${n}` } })));
      const res = await request(stack.url).get('/health').expect(503);
      expect(res.body.details.backlog).toMatchObject({ status: 'down', backlog: 3, max: 2 });
    } finally {
      await stack.queue.obliterate({ force: true });
      await stack.close();
    }
  });
});
