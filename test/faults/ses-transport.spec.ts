/**
 * What the README promises about sending, checked at an SES stand-in in front of the emulator:
 * the global send rate, timeouts, retries, giving up, what an operator then sees and can do, and
 * a shutdown that lets a send in flight finish.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAuth, adminToken, adminUser, csrfFrom, register } from '../support/api.js';
import { addresses, registerAll, tally } from '../support/load.js';
import { sample, scrape, waitUntilIdle } from '../support/metrics.js';
import { freePort, runServices } from '../support/processes.js';
import { INTERNAL, REJECTED, UNAVAILABLE, startSesFaultProxy } from '../support/ses-fault-proxy.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

let proxy: Awaited<ReturnType<typeof startSesFaultProxy>> | undefined;
const stacks: Stack[] = [];
afterEach(async () => {
  // The stand-in first: closing it ends any call it holds, which a worker would wait for.
  await proxy?.close();
  proxy = undefined;
  for (const s of stacks.splice(0)) await s.close();
});

describe('SES_MAX_SEND_RATE', () => {
  it('holds for all workers together, measured where the emails arrive', { timeout: 60_000 }, async () => {
    const RATE = 5;
    const N = 25;
    proxy = await startSesFaultProxy(() => null);
    const env = { AWS_ENDPOINT_URL_SES: proxy.url, SES_MAX_SEND_RATE: String(RATE), WORKER_CONCURRENCY: '10' };
    stacks.push(await startStack(env), await startStack(env)); // two workers
    const emails = addresses('rate', N);
    expect((await registerAll(stacks[0].url, emails)).every((s) => s === 202)).toBe(true);
    await waitFor(async () => tally(await sesInbox.all(), emails).missing === 0, { timeoutMs: 30_000, what: `${N} emails` });

    const times = proxy.log.map((c) => c.at).sort((a, b) => a - b);
    expect(times).toHaveLength(N);
    // Measured on arrival, so allowing for the jitter between a job starting and its call arriving
    // (a loaded machine bunches calls by a few hundred ms): the limiter lets RATE start per
    // one-second window of its own; a second of ours straddles two of them, plus jitter.
    const mostInAnySecond = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    expect(mostInAnySecond).toBeLessThanOrEqual(3 * RATE);
    // N emails need N/RATE windows: the last arrives about N/RATE - 1 = 4 s after the first
    // (without the limit, or with one per worker, all 25 arrive within about a second).
    expect(times.at(-1)! - times[0]).toBeGreaterThanOrEqual((N / RATE - 1) * 1000 - 1000);
  });
});

describe('SES calls that hang, fail with 5xx or lose their connection', () => {
  it('gives up on a call that gets no answer after 15 s, then retries and delivers', { timeout: 60_000 }, async () => {
    proxy = await startSesFaultProxy((_, previous) => (previous === 0 ? { hang: true } : null));
    stacks.push(await startStack({ AWS_ENDPOINT_URL_SES: proxy.url }));
    const email = 'hung.call@example.com';
    expect(await register(stacks[0].url, email)).toBe(202);
    await sesInbox.waitFor(email, 1, 30_000);
    const [hung, retried] = proxy.log.filter((call) => call.recipient === email);
    expect(hung.outcome).toBe('client-closed');
    const waited = hung.endedAt! - hung.at;
    expect(waited).toBeGreaterThanOrEqual(14_000);
    expect(waited).toBeLessThan(17_000);
    expect(retried).toMatchObject({ recipient: email, outcome: 'passed' });
    await waitFor(async () => (await adminUser(stacks[0].url, email))?.emailSent, { what: 'email_sent' });
    expect(await adminUser(stacks[0].url, email)).toMatchObject({ emailSent: true, emailError: null });
  });

  it('retries 5xx answers and dropped connections, and delivers each email once', { timeout: 60_000 }, async () => {
    const plan: Record<string, Array<object | null>> = {
      'five.hundred@example.com': [INTERNAL, UNAVAILABLE],
      'dropped@example.com': [{ drop: true }, { drop: true }],
    };
    proxy = await startSesFaultProxy((to, previous) => (plan[to]?.[previous] ?? null) as never);
    stacks.push(await startStack({ AWS_ENDPOINT_URL_SES: proxy.url, SEND_ATTEMPTS: '4' }));
    for (const email of Object.keys(plan)) expect(await register(stacks[0].url, email)).toBe(202);
    for (const email of Object.keys(plan)) await sesInbox.waitFor(email, 1, 20_000);
    await waitUntilIdle(stacks[0].url);
    for (const email of Object.keys(plan)) {
      expect(proxy.calls.get(email)).toBe(3); // two failures, then the send that went through
      expect(await sesInbox.to(email)).toHaveLength(1);
      expect(await adminUser(stacks[0].url, email)).toMatchObject({ emailSent: true, emailError: null });
    }
  });
});

describe('an SES endpoint that never accepts the connection', () => {
  it('gives up connecting after 3 s (not the 15 s a whole call may take)', { timeout: 60_000 }, async () => {
    // A listener whose accept queue is full and never drained: the kernel drops the SYN of any
    // further connection, so connecting hangs (loopback only, as on a host that stopped answering).
    const port = await freePort();
    const script = [
      'import socket, time',
      's = socket.socket()',
      's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
      `s.bind(('127.0.0.1', ${port}))`,
      's.listen(0)',
      "print('ready', flush=True)",
      'time.sleep(120)',
    ].join('\n');
    const listener = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const fillers: Socket[] = [];
    try {
      await once(listener.stdout, 'data');
      const connects = (timeoutMs: number) =>
        new Promise<boolean>((resolve) => {
          const socket = connect(port, '127.0.0.1');
          fillers.push(socket);
          socket.on('error', () => resolve(false));
          socket.on('connect', () => resolve(true));
          setTimeout(() => resolve(false), timeoutMs);
        });
      // Fill the queue until a connection attempt hangs.
      await waitFor(async () => !(await connects(300)), { timeoutMs: 10_000, what: 'the accept queue to be full' });

      stacks.push(await startStack({ AWS_ENDPOINT_URL_SES: `http://127.0.0.1:${port}`, SEND_ATTEMPTS: '2', SEND_BACKOFF_MS: '20' }));
      const email = 'no.connect@example.com';
      const started = Date.now();
      expect(await register(stacks[0].url, email)).toBe(202);
      const user = await waitFor(
        async () => {
          const u = await adminUser(stacks[0].url, email);
          return u?.emailError ? u : null;
        },
        { timeoutMs: 45_000, what: 'the email to fail' },
      );
      const elapsed = Date.now() - started;
      expect(user.emailError).toMatch(/TimeoutError.*3000 ms/);
      expect(elapsed).toBeGreaterThanOrEqual(2 * 3000 - 300); // two attempts, 3 s each
      expect(elapsed).toBeLessThan(12_000);
    } finally {
      for (const s of fillers) s.destroy();
      listener.kill();
    }
  });
});

describe('emails that fail for good, as an operator sees them (real web and worker processes)', () => {
  it(
    'fails an email after SEND_ATTEMPTS transient errors, counts it, lists it and sends it again from the admin page',
    { timeout: 90_000 },
    async () => {
      const stuck = 'always.503@example.com';
      const rejected = 'rejected.here@example.com';
      let healthy = false;
      proxy = await startSesFaultProxy((to) => (healthy ? null : to === stuck ? UNAVAILABLE : to === rejected ? REJECTED : null));
      const workerPort = await freePort();
      const workerUrl = `http://127.0.0.1:${workerPort}`;
      const services = await runServices({
        AWS_ENDPOINT_URL_SES: proxy.url,
        SEND_ATTEMPTS: '3',
        SEND_BACKOFF_MS: '20',
        RESEND_COOLDOWN_SECONDS: '1',
        WORKER_HEALTH_PORT: String(workerPort),
      });
      try {
        const url = services.url;
        await waitFor(async () => (await fetch(`${workerUrl}/health`)).ok, { timeoutMs: 20_000, what: 'the worker health port' });
        const worker0 = await scrape(workerUrl);
        const before = (series: string) => sample(worker0, series, { absentAs: 0 });

        for (const email of [stuck, rejected, 'known@example.com']) expect(await register(url, email)).toBe(202);
        // A confirmed address signing up again gets the account-exists notice.
        const token = linkToken((await sesInbox.waitFor('known@example.com'))[0]);
        await request(url).post('/api/confirmations').send({ token }).expect(200);
        await new Promise((r) => setTimeout(r, 1100)); // the resend cooldown runs out
        expect(await register(url, 'known@example.com')).toBe(202);
        await sesInbox.waitFor('known@example.com', 2);

        const failedUser = await waitFor(
          async () => {
            const u = await adminUser(url, stuck);
            return u?.emailError ? u : null;
          },
          { timeoutMs: 30_000, what: 'the stuck email to fail for good' },
        );
        expect(failedUser).toMatchObject({ emailSent: false, emailError: expect.stringMatching(/^ServiceUnavailable/) });
        await waitFor(async () => (await adminUser(url, rejected))?.emailError, { what: 'the rejected email to fail' });
        await waitUntilIdle(url);
        expect(proxy.calls.get(stuck)).toBe(3); // SEND_ATTEMPTS, no more
        expect(proxy.calls.get(rejected)).toBe(1); // permanent: one attempt

        const worker1 = await scrape(workerUrl);
        const delta = (series: string) => sample(worker1, series) - before(series);
        expect(delta('signup_emails_failed_total{kind="confirmation",reason="ServiceUnavailable"}')).toBe(1);
        expect(delta('signup_emails_failed_total{kind="confirmation",reason="MessageRejected"}')).toBe(1);
        expect(delta('signup_email_send_errors_total{kind="confirmation",reason="ServiceUnavailable"}')).toBe(3);
        expect(delta('signup_email_send_errors_total{kind="confirmation",reason="MessageRejected"}')).toBe(1);
        expect(delta('signup_emails_sent_total{kind="account-exists"}')).toBe(1);
        expect(delta('signup_emails_sent_total{kind="confirmation"}')).toBe(1);

        // The admin page lists both, with a Retry button each and a Retry all button.
        const browser = request.agent(url).auth('admin', adminToken());
        const page = await browser.get('/admin/users').expect(200);
        const failedSection = page.text.slice(page.text.indexOf('Emails that failed for good'));
        expect(failedSection).toContain(`<td>${stuck}</td>`);
        expect(failedSection).toContain(`<td>${rejected}</td>`);
        const failed = (await request(url).get('/api/admin/emails/failed').set(adminAuth()).expect(200)).body as Array<{
          id: string;
          recipient: string;
        }>;
        const stuckId = failed.find((f) => f.recipient === stuck)!.id;
        expect(failedSection).toContain(`action="/admin/emails/${stuckId}/retry"`);
        expect(failedSection).toContain('action="/admin/emails/failed/retry"');

        // SES is well again: the one button sends one email, the other sends the rest.
        healthy = true;
        const one = await browser
          .post(`/admin/emails/${stuckId}/retry`)
          .type('form')
          .send({ _csrf: csrfFrom(failedSection) })
          .expect(303);
        expect(one.headers.location).toBe('/admin/users');
        expect((await browser.get('/admin/users').expect(200)).text).toContain('1 email queued again.');
        await sesInbox.waitFor(stuck, 1, 20_000);
        await waitUntilIdle(url);
        expect(await sesInbox.to(rejected)).toHaveLength(0);

        const again = await browser.get('/admin/users').expect(200);
        await browser
          .post('/admin/emails/failed/retry')
          .type('form')
          .send({ _csrf: csrfFrom(again.text) })
          .expect(303);
        await sesInbox.waitFor(rejected, 1, 20_000);
        await waitFor(async () => (await adminUser(url, rejected))?.emailSent, { what: 'the retried email to be recorded' });
        expect(await adminUser(url, stuck)).toMatchObject({ emailSent: true, emailError: null });
        expect((await request(url).get('/api/admin/emails/failed').set(adminAuth())).body).toEqual([]);
      } finally {
        await services.stop();
      }
    },
  );
});

describe('SIGTERM', () => {
  it('lets the worker finish a send in flight, record it, and exit 0', { timeout: 60_000 }, async () => {
    const SES_DELAY_MS = 4000;
    proxy = await startSesFaultProxy(() => ({ delayMs: SES_DELAY_MS }));
    const services = await runServices({ AWS_ENDPOINT_URL_SES: proxy.url });
    try {
      const email = 'in.flight@example.com';
      expect(await register(services.url, email)).toBe(202);
      await waitFor(() => proxy!.log.length === 1, { what: 'the send to reach SES' });
      const signalled = Date.now();
      const code = await services.worker.stop('SIGTERM');
      const exitedAfter = Date.now() - signalled;
      expect(code).toBe(0);
      const [call] = proxy.log;
      expect(call.outcome).toBe('passed'); // SES answered the worker: the connection was not cut
      expect(call.endedAt! - signalled).toBeGreaterThan(0);
      expect(exitedAfter).toBeGreaterThanOrEqual(call.endedAt! - signalled); // it waited for the answer
      expect(exitedAfter).toBeLessThan(30_000);
      // ... and recorded the send before exiting (the web, still up, shows it).
      expect(await adminUser(services.url, email)).toMatchObject({ emailSent: true, emailError: null });
      expect(await sesInbox.to(email)).toHaveLength(1);
    } finally {
      await services.stop();
    }
  });
});
