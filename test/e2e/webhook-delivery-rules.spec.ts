import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WEBHOOKS_QUEUE } from '../../src/queue/jobs.js';
import { RetentionService } from '../../src/retention/retention.service.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';
import { SECRET_A } from '../support/webhook-receiver.js';

const admin = { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` };

interface Delivery {
  endpoint: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

/** An endpoint on a port of its own that answers as `answer` says, counting calls. */
async function endpoint(answer: (res: ServerResponse) => void) {
  const open = new Set<ServerResponse>();
  let calls = 0;
  const server: Server = createServer((req, res) => {
    calls++;
    open.add(res);
    res.on('close', () => open.delete(res));
    req.resume().on('end', () => answer(res));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    calls: () => calls,
    close: () => {
      for (const res of open) res.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
type Endpoint = Awaited<ReturnType<typeof endpoint>>;

const ONE_EVENT = { WEBHOOK_SECRET: SECRET_A, WEBHOOK_EVENTS: 'user.registered', WEBHOOK_RETRY_SCHEDULE: '3600' };

async function deliveryTo(stack: Stack, to: Endpoint, settled: (d: Delivery) => boolean, timeoutMs = 10_000): Promise<Delivery> {
  return waitFor(
    async () => {
      const rows = (await request(stack.url).get('/api/admin/webhooks/deliveries').set(admin).expect(200)).body as Delivery[];
      return rows.find((d) => d.endpoint === to.url && settled(d));
    },
    { timeoutMs, what: `the delivery to ${to.url}` },
  );
}

describe('how a webhook delivery treats the answer', () => {
  let stack: Stack;
  let ok: Endpoint, redirect: Endpoint, slow: Endpoint, endless: Endpoint;

  beforeAll(async () => {
    ok = await endpoint((res) => res.writeHead(204).end());
    redirect = await endpoint((res) => res.writeHead(302, { location: ok.url }).end());
    slow = await endpoint(() => undefined); // never answers
    endless = await endpoint((res) => res.writeHead(500).write('x'.repeat(4096))); // a body that never ends
    stack = await startStack({
      ...ONE_EVENT,
      WEBHOOK_URLS: [ok, redirect, slow, endless].map((e) => e.url).join(','),
      RETENTION_DAYS: '30',
    });
  });
  afterAll(async () => {
    await stack?.close();
    for (const e of [ok, redirect, slow, endless]) await e?.close();
  });
  beforeEach(async () => {
    await resetState(stack);
    await stack.testApi.webhooks.forgetEverything();
  });

  const signUp = (email: string) => request(stack.url).post('/api/users').send({ email }).expect(202);
  /** Every delivery the admin API lists, as "endpoint status". */
  const listed = async () =>
    ((await request(stack.url).get('/api/admin/webhooks/deliveries').set(admin).expect(200)).body as Delivery[])
      .map((d) => `${d.endpoint} ${d.status}`)
      .sort();

  it('does not follow a 3xx (fails at once), reads a never-ending answer only in part, gives up on one slower than 10 s', async () => {
    const okCalls = ok.calls();
    await signUp('answers@example.com');
    expect(await deliveryTo(stack, ok, (d) => d.status === 'sent')).toMatchObject({ attempts: 1 });
    expect(await deliveryTo(stack, redirect, (d) => d.status === 'failed')).toMatchObject({
      attempts: 1,
      lastError: 'HTTP 302: redirects are not followed',
    });
    // The 500 settles as soon as the start of its body is read: a retry, not a timeout.
    const cut = await deliveryTo(stack, endless, (d) => d.attempts === 1, 5_000);
    expect(cut).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/^HTTP 500: x+$/) });
    const timedOut = await deliveryTo(stack, slow, (d) => d.attempts === 1, 15_000);
    expect(timedOut).toMatchObject({ status: 'pending', lastError: 'timed out after 10 s' });
    expect(ok.calls() - okCalls).toBe(1); // its own delivery; the redirect was not followed to it
  });

  it('deletes sent and failed deliveries after RETENTION_DAYS, keeps those still pending', async () => {
    await signUp('old.deliveries@example.com');
    await deliveryTo(stack, ok, (d) => d.status === 'sent');
    await deliveryTo(stack, redirect, (d) => d.status === 'failed');
    const retention = stack.worker!.get(RetentionService);

    await stack.testApi.webhooks.ageDeliveries(29);
    await retention.sweep();
    expect(await listed()).toHaveLength(4);
    await stack.testApi.webhooks.ageDeliveries(2);
    await retention.sweep();
    expect(await listed()).toEqual([`${slow.url} pending`, `${endless.url} pending`].sort());
  });

  it('counts RETENTION_DAYS from when a delivery settled: one held for weeks by a disabled endpoint is kept after it goes out', async () => {
    const retention = stack.worker!.get(RetentionService);
    await stack.testApi.webhooks.disableEndpoint(ok.url, 'HTTP 410');
    await signUp('held.for.weeks@example.com');
    await deliveryTo(stack, redirect, (d) => d.status === 'failed');
    await stack.testApi.webhooks.ageDeliveries(40);

    await request(stack.url).post('/api/admin/webhooks/endpoints/enable').set(admin).send({ url: ok.url }).expect(204);
    await deliveryTo(stack, ok, (d) => d.status === 'sent');
    await retention.sweep();
    expect(await listed()).toEqual([`${ok.url} sent`, `${slow.url} pending`, `${endless.url} pending`].sort());

    await stack.testApi.webhooks.ageDeliveries(31);
    await retention.sweep();
    expect(await listed()).toEqual([`${slow.url} pending`, `${endless.url} pending`].sort());
  });
});

describe('deliveries across a change of configuration or a lost job', () => {
  let ok: Endpoint, removed: Endpoint;
  beforeAll(async () => {
    ok = await endpoint((res) => res.writeHead(204).end());
    removed = await endpoint((res) => res.writeHead(204).end());
  });
  afterAll(async () => {
    await ok?.close();
    await removed?.close();
  });

  /** Signs up on a stack without a worker, so that the deliveries are queued but not sent; returns its queue. */
  async function queuedBy(env: Record<string, string>, email: string) {
    const web = await startStack({ ...ONE_EVENT, ...env }, { worker: false });
    await resetState(web);
    await web.testApi.webhooks.forgetEverything();
    await request(web.url).post('/api/users').send({ email }).expect(202);
    const queue = web.web.get<Queue>(getQueueToken(WEBHOOKS_QUEUE));
    return { web, queue };
  }

  it('fails a delivery whose endpoint was taken out of WEBHOOK_URLS, without calling it', async () => {
    const { web, queue } = await queuedBy({ WEBHOOK_URLS: `${ok.url},${removed.url}` }, 'reconfigured@example.com');
    await waitFor(async () => (await queue.getWaitingCount()) === 2, { what: 'both deliveries queued' });
    await web.close();

    const stack = await startStack({ ...ONE_EVENT, WEBHOOK_URLS: ok.url });
    try {
      await deliveryTo(stack, ok, (d) => d.status === 'sent');
      expect(await deliveryTo(stack, removed, (d) => d.status === 'failed')).toMatchObject({
        lastError: 'the endpoint is no longer in WEBHOOK_URLS',
      });
      expect(removed.calls()).toBe(0);
    } finally {
      await stack.close();
    }
  });

  it('the sweep queues again a delivery whose job was lost', async () => {
    const env = { WEBHOOK_URLS: ok.url, OUTBOX_REQUEUE_AFTER_SECONDS: '2' };
    const { web, queue } = await queuedBy(env, 'lost.job@example.com');
    const calls = ok.calls();
    try {
      await waitFor(async () => (await queue.getWaitingCount()) === 1, { what: 'the delivery queued' });
      await queue.drain(); // Redis lost the job
      // The relay's sweep (every second here) finds it and queues it again, under a new job id.
      await waitFor(async () => (await queue.getWaitingCount()) === 1, { what: 'the delivery queued again' });
    } finally {
      await web.close();
    }
    const stack = await startStack({ ...ONE_EVENT, ...env });
    try {
      await deliveryTo(stack, ok, (d) => d.status === 'sent');
      expect(ok.calls() - calls).toBe(1);
    } finally {
      await stack.close();
    }
  });
});
