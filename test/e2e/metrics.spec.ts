import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { backlog, sample, scrape, waitUntilIdle } from '../support/metrics.js';
import { freePort } from '../support/processes.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

const SENT = 'signup_emails_sent_total{kind="confirmation"}';
const LATENCY_COUNT = 'signup_email_send_latency_seconds_count{kind="confirmation"}';

describe('/metrics across a sign-up and a confirmation (web + worker, real services)', () => {
  let stack: Stack;
  // The worker of this in-process stack has no HTTP port: read its registry directly.
  const workerMetrics = async () => await stack.worker!.get(MetricsService).registry.metrics();

  beforeAll(async () => (stack = await startStack()));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  it('counts one registration, one email sent (with its latency) and one confirmation', async () => {
    const web0 = await scrape(stack.url);
    const worker0 = await workerMetrics();
    const before = (text: string, series: string) => sample(text, series, { absentAs: 0 }); // no series before the first email

    await request(stack.url).post('/api/users').send({ email: 'metrics@example.com' }).expect(202);
    const [email] = await sesInbox.waitFor('metrics@example.com');
    const worker1 = await waitFor(
      async () => {
        const text = await workerMetrics();
        return sample(text, SENT, { absentAs: 0 }) > before(worker0, SENT) ? text : null;
      },
      { what: 'the sent counter' },
    );
    const web1 = await scrape(stack.url);

    expect(sample(web1, 'signup_registrations_total') - sample(web0, 'signup_registrations_total')).toBe(1);
    expect(sample(worker1, SENT) - before(worker0, SENT)).toBe(1);
    expect(sample(worker1, LATENCY_COUNT) - before(worker0, LATENCY_COUNT)).toBe(1);
    expect(sample(web1, 'signup_confirmations_total')).toBe(sample(web0, 'signup_confirmations_total'));

    // A known address signing up again is not a new registration.
    await request(stack.url).post('/api/users').send({ email: 'metrics@example.com' }).expect(202);
    await request(stack.url)
      .post('/api/confirmations')
      .send({ token: linkToken(email) })
      .expect(200);
    await request(stack.url)
      .post('/api/confirmations')
      .send({ token: linkToken(email) })
      .expect(200); // already confirmed
    const web2 = await scrape(stack.url);
    expect(sample(web2, 'signup_registrations_total') - sample(web0, 'signup_registrations_total')).toBe(1);
    expect(sample(web2, 'signup_confirmations_total') - sample(web0, 'signup_confirmations_total')).toBe(1);
  });
});

describe('the queue and outbox gauges', () => {
  it('report the jobs as they are: waiting without a worker, none once a worker has sent them', async () => {
    const webOnly = await startStack({}, { worker: false });
    try {
      await request(webOnly.url).post('/api/users').send({ email: 'gauges.1@example.com' }).expect(202);
      await request(webOnly.url).post('/api/users').send({ email: 'gauges.2@example.com' }).expect(202);
      // The relay hands both to the queue; no worker takes them.
      const waiting = await waitFor(
        async () => {
          const b = await backlog(webOnly.url);
          return b.outbox === 0 && b.waiting === 2 ? b : null;
        },
        { what: 'two waiting jobs and an empty outbox' },
      );
      expect(waiting).toEqual({ outbox: 0, waiting: 2, active: 0, delayed: 0, failed: 0 });
      // The oldest of them has waited since it was asked for; the alert SignupOldestEmailWaiting reads this.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(sample(await scrape(webOnly.url), 'signup_email_oldest_waiting_seconds')).toBeGreaterThanOrEqual(1);
      expect(await scrape(webOnly.url)).toContain('process_cpu_seconds_total');
    } finally {
      await webOnly.close();
    }
    const withWorker = await startStack();
    try {
      await sesInbox.waitFor('gauges.2@example.com');
      await waitUntilIdle(withWorker.url);
      expect(await backlog(withWorker.url)).toEqual({ outbox: 0, waiting: 0, active: 0, delayed: 0, failed: 0 });
      expect(sample(await scrape(withWorker.url), 'signup_email_oldest_waiting_seconds')).toBe(0);
      expect(await sesInbox.to('gauges.1@example.com')).toHaveLength(1);
    } finally {
      await withWorker.close();
    }
  });
});

describe('/metrics is not for strangers', () => {
  const token = process.env.ADMIN_TOKEN!;

  it('answers 401 on the public port without the admin token, however the path is written', async () => {
    const stack = await startStack({}, { worker: false });
    try {
      for (const path of ['/metrics', '/METRICS', '/%6detrics', '/metrics/']) {
        const res = await request(stack.url).get(path).expect(401);
        expect(res.text).not.toContain('signup_registrations_total');
      }
      await request(stack.url).get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
      const scraped = await request(stack.url).get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
      expect(scraped.text).toContain('signup_registrations_total');
    } finally {
      await stack.close();
    }
  });

  it('answers 401 to everyone while admin is disabled', async () => {
    const stack = await startStack({ ADMIN_TOKEN: '' }, { worker: false });
    try {
      await request(stack.url).get('/metrics').set('Authorization', 'Bearer anything-at-all-123').expect(401);
    } finally {
      await stack.close();
    }
  });

  it('serves metrics and health details without a token on METRICS_PORT, and nothing else there', async () => {
    const port = await freePort();
    const stack = await startStack({ METRICS_PORT: String(port) }, { worker: false });
    const internal = `http://127.0.0.1:${port}`;
    try {
      const text = await scrape(internal, { token: '' });
      expect(text).toContain('signup_registrations_total');
      const health = await request(internal).get('/health').expect(200);
      expect(health.body.details.redis).toEqual({ status: 'up', waiting: expect.any(Number) });
      const sending = await request(internal).get('/health/sending').expect(200);
      expect(sending.body.details.backlog).toMatchObject({ status: 'up', max: 10000 });
      await request(internal).get('/health/live').expect(200);
      await request(internal).post('/api/users').send({ email: 'internal@example.com' }).expect(404);
      await request(internal).get('/').expect(404);
      // The public port is unchanged.
      await request(stack.url).get('/metrics').expect(401);
      expect((await request(stack.url).get('/health').expect(200)).body.details.redis).toEqual({ status: 'up' });
    } finally {
      await stack.close();
    }
    // Closed with the app.
    await expect(fetch(`${internal}/health/live`)).rejects.toThrow();
  });
});
