import pg from 'pg';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminAuth } from '../support/api.js';
import { addresses, registerAll, tally } from '../support/load.js';
import { waitUntilIdle } from '../support/metrics.js';
import { runDist, runServices } from '../support/processes.js';
import { startOwnRedis } from '../support/redis-server.js';
import { PAUSED, REJECTED, THROTTLED, startSesFaultProxy } from '../support/ses-fault-proxy.js';
import { sesInbox } from '../support/ses-inbox.js';
import { resetState, resetStateWithoutStack, startStack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

const N = 500;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const admin = adminAuth();

/** Figures each scenario saw, printed at the end for the record. */
const figures: Record<string, object> = {};

/** A connection of the test's own, to drop the services' connections with (the fault is PostgreSQL's, not a table's). */
let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  console.log(`delivery figures: ${JSON.stringify(figures, null, 1)}`);
});
beforeEach(async () => resetStateWithoutStack());

async function waitForAll(wanted: string[], timeoutMs: number) {
  return waitFor(
    async () => {
      const t = tally(await sesInbox.all(), wanted);
      return t.missing === 0 ? t : null;
    },
    { timeoutMs, intervalMs: 500, what: `${wanted.length} emails` },
  );
}

describe('nothing lost (real processes, real faults)', () => {
  it('keeps answering 202 while Redis is down and sends every email once it is back', { timeout: 120_000 }, async () => {
    const redis = await startOwnRedis();
    const services = await runServices({ REDIS_URL: redis.url, OUTBOX_REQUEUE_AFTER_SECONDS: '5' });
    try {
      const emails = addresses('redis-outage', N);
      const first = await registerAll(services.url, emails.slice(0, 200));
      await redis.stop();
      await waitFor(async () => (await fetch(`${services.url}/health`)).status === 503, { what: '/health 503' });
      const during = await registerAll(services.url, emails.slice(200, 400));
      await pause(1000);
      await redis.start();
      await waitFor(async () => (await fetch(`${services.url}/health`)).status === 200, { timeoutMs: 20_000, what: '/health 200' });
      const after = await registerAll(services.url, emails.slice(400));
      expect([...first, ...during, ...after].every((s) => s === 202)).toBe(true);

      const result = await waitForAll(emails, 90_000);
      figures.redisOutage = { expected: N, ...result };
      expect(result).toEqual({ delivered: N, missing: 0, duplicates: 0 });
    } finally {
      await services.stop();
      await redis.close();
    }
  });

  it('loses nothing when the worker is SIGKILLed twice mid-send', { timeout: 150_000 }, async () => {
    const concurrency = 10;
    const env = { SES_MAX_SEND_RATE: '100', WORKER_CONCURRENCY: String(concurrency) };
    const services = await runServices(env);
    const workers = [services.worker];
    try {
      const emails = addresses('sigkill', N);
      expect((await registerAll(services.url, emails)).every((s) => s === 202)).toBe(true);
      for (const threshold of [120, 300]) {
        await waitFor(async () => (await sesInbox.toAny(emails)).length >= threshold, { timeoutMs: 60_000, what: `${threshold} emails` });
        await workers.at(-1)!.stop('SIGKILL');
        workers.push(runDist('main.worker.js', { ...env, PORT: '0' }));
      }
      const result = await waitForAll(emails, 90_000);
      figures.workerKilledTwice = { expected: N, ...result, bound: 2 * concurrency };
      expect(result.delivered).toBe(N);
      expect(result.duplicates).toBeLessThanOrEqual(2 * concurrency);
    } finally {
      await services.web.stop();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });

  it('sends every email exactly once with two web and two worker processes', { timeout: 120_000 }, async () => {
    const [a, b] = await Promise.all([runServices(), runServices()]);
    try {
      const emails = addresses('two-by-two', N);
      let i = 0;
      const statuses = await registerAll(() => (i++ % 2 === 0 ? a.url : b.url), emails);
      expect(statuses.every((s) => s === 202)).toBe(true);
      const result = await waitForAll(emails, 60_000);
      await Promise.all([waitUntilIdle(a.url), waitUntilIdle(b.url)]); // any double send has happened by now
      const final = tally(await sesInbox.all(), emails);
      figures.twoWebTwoWorkers = { expected: N, ...final };
      expect(final).toEqual({ delivered: N, missing: 0, duplicates: 0 });
      expect(result.missing).toBe(0);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('delivers everything when PostgreSQL connections are dropped mid-run, and answers no 5xx after', { timeout: 120_000 }, async () => {
    // Jobs that meet a dead connection on every attempt are failed by BullMQ; the outbox sweep
    // (every few seconds here) queues them again, as it would after a long outage in production.
    const services = await runServices({ SES_MAX_SEND_RATE: '200', OUTBOX_REQUEUE_AFTER_SECONDS: '10' });
    try {
      const emails = addresses('pg-drop', N);
      const load = registerAll(services.url, emails, 8);
      await waitFor(async () => (await sesInbox.toAny(emails)).length >= 100, { timeoutMs: 30_000, what: '100 emails' });
      const { rowCount } = await db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      const statuses = await load;
      // A client whose request met the dropped connection got a 503 and tries again, as clients do.
      const retried = emails.filter((_, i) => statuses[i] !== 202);
      expect(
        statuses.filter((s) => s !== 202 && s !== 503),
        services.web.output().slice(-3000),
      ).toEqual([]);
      const again = await registerAll(services.url, retried);
      expect(again.every((s) => s === 202)).toBe(true);

      const result = await waitForAll(emails, 90_000);
      figures.postgresDropped = { expected: N, terminatedConnections: rowCount, retriedAfter503: retried.length, ...result };
      expect(result.delivered).toBe(N);
      expect(result.duplicates).toBeLessThanOrEqual(10); // WORKER_CONCURRENCY: sends in flight when the connections dropped
      expect((await fetch(`${services.url}/health`)).status).toBe(200);
    } finally {
      await services.stop();
    }
  });
});

describe('SES errors (SES stand-in in front of the emulator)', () => {
  let proxy: Awaited<ReturnType<typeof startSesFaultProxy>> | undefined;
  afterEach(async () => proxy?.close());

  it('delivers everything when SES throttles 30% of calls', { timeout: 120_000 }, async () => {
    proxy = await startSesFaultProxy(() => (Math.random() < 0.3 ? THROTTLED : null));
    const stack = await startStack({ AWS_ENDPOINT_URL_SES: proxy.url, SEND_ATTEMPTS: '20', SEND_BACKOFF_MS: '20' });
    try {
      const emails = addresses('throttled', N);
      expect((await registerAll(stack.url, emails)).every((s) => s === 202)).toBe(true);
      const result = await waitForAll(emails, 90_000);
      const calls = [...proxy.calls.values()].reduce((a, b) => a + b, 0);
      figures.throttled30 = { expected: N, ...result, sesCalls: calls, throttled: calls - N - result.duplicates };
      expect(result).toEqual({ delivered: N, missing: 0, duplicates: 0 });
      expect(calls).toBeGreaterThan(N); // some calls were throttled and retried
    } finally {
      await stack.close();
    }
  });

  it(
    'marks a rejected address failed after exactly one attempt, delivers the others, and retries on request',
    { timeout: 90_000 },
    async () => {
      let reject = true;
      const bad = `rejected.${Date.now()}@example.com`;
      proxy = await startSesFaultProxy((to) => (to === bad && reject ? REJECTED : null));
      const stack = await startStack({ AWS_ENDPOINT_URL_SES: proxy.url });
      try {
        const good = addresses('fine', 20);
        expect((await registerAll(stack.url, [bad, ...good])).every((s) => s === 202)).toBe(true);
        await waitForAll(good, 30_000);
        const user = await waitFor(
          async () => {
            const [u] = (await request(stack.url).get('/api/admin/users').query({ email: bad }).set(admin)).body;
            return u?.emailError ? u : null;
          },
          { timeoutMs: 20_000, what: 'emailError' },
        );
        expect(user).toMatchObject({ emailSent: false, confirmed: false });
        expect(user.emailError).toMatch(/^MessageRejected: Email address is not verified/);
        await waitUntilIdle(stack.url);
        expect(proxy.calls.get(bad)).toBe(1);
        figures.rejected = { sesCallsForRejected: proxy.calls.get(bad), othersDelivered: good.length };

        const failed = (await request(stack.url).get('/api/admin/emails/failed').set(admin).expect(200)).body;
        expect(failed).toEqual([expect.objectContaining({ recipient: bad, kind: 'confirmation', error: user.emailError })]);

        reject = false;
        const retried = (await request(stack.url).post(`/api/admin/emails/${failed[0].id}/retry`).set(admin).expect(200)).body;
        expect(retried).toEqual({ retried: [failed[0].id] });
        await sesInbox.waitFor(bad, 1, 20_000);
        await waitFor(
          async () => {
            const [u] = (await request(stack.url).get('/api/admin/users').query({ email: bad }).set(admin)).body;
            return u.emailSent && u.emailError === null;
          },
          { timeoutMs: 20_000, what: 'email_sent after retry' },
        );
        expect((await request(stack.url).get('/api/admin/emails/failed').set(admin)).body).toEqual([]);
        expect((await request(stack.url).post('/api/admin/emails/failed/retry').set(admin).expect(200)).body).toEqual({ retried: [] });
      } finally {
        await stack.close();
      }
    },
  );

  it(
    'stops sending while SES has paused the account, says so in /health/sending (not /health), and resumes by itself',
    { timeout: 60_000 },
    async () => {
      let paused = true;
      proxy = await startSesFaultProxy(() => (paused ? PAUSED : null));
      const stack = await startStack({ AWS_ENDPOINT_URL_SES: proxy.url, SES_PAUSED_RETRY_SECONDS: '1' });
      try {
        await resetState(stack);
        const emails = addresses('paused', 5);
        await registerAll(stack.url, emails);
        const sending = await waitFor(
          async () => {
            const res = await request(stack.url).get('/health/sending').set(admin);
            return res.status === 503 ? res.body : null;
          },
          { what: '/health/sending 503' },
        );
        expect(sending.details.ses).toMatchObject({ status: 'down', message: expect.stringContaining('AccountSendingPausedException') });
        // A pause stops emails, not sign-ups: the instance stays ready.
        await request(stack.url).get('/health').expect(200);
        await pause(1500);
        const callsWhilePaused = [...proxy.calls.values()].reduce((a, b) => a + b, 0);
        // Probes, not a retry storm: each of the 5 emails is tried at most once per pause period (1 s).
        expect(callsWhilePaused).toBeLessThanOrEqual(15);
        expect(await sesInbox.toAny(emails)).toHaveLength(0);

        paused = false;
        const result = await waitForAll(emails, 20_000);
        expect(result).toEqual({ delivered: 5, missing: 0, duplicates: 0 });
        await waitFor(async () => (await request(stack.url).get('/health/sending')).status === 200, { what: '/health/sending 200' });
        const [u] = (await request(stack.url).get('/api/admin/users').query({ email: emails[0] }).set(admin)).body;
        expect(u.emailError).toBeNull(); // a pause is not a failure
      } finally {
        await stack.close();
      }
    },
  );
});
