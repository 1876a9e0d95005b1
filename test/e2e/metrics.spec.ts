import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { sample, scrape } from '../support/metrics.js';
import { freePort } from '../support/processes.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

const SENT = 'signup_emails_sent_total{kind="confirmation"}';
const LATENCY_COUNT = 'signup_email_send_latency_seconds_count{kind="confirmation"}';

describe('/metrics across a sign-up and a confirmation (web + worker, real services)', () => {
  let stack: Stack;
  // The worker of this in-process stack has no HTTP port: read its registry directly.
  const workerMetrics = async () => (await stack.worker!.get(MetricsService).registry.metrics()) as string;

  beforeAll(async () => (stack = await startStack()));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  it('counts one registration, one email sent (with its latency) and one confirmation', async () => {
    const web0 = await scrape(stack.url);
    const worker0 = await workerMetrics();

    await request(stack.url).post('/api/users').send({ email: 'metrics@example.com' }).expect(202);
    const [email] = await sesInbox.waitFor('metrics@example.com');
    const worker1 = await waitFor(async () => {
      const text = await workerMetrics();
      return sample(text, SENT) > sample(worker0, SENT) ? text : null;
    }, { what: 'the sent counter' });
    const web1 = await scrape(stack.url);

    expect(sample(web1, 'signup_registrations_total') - sample(web0, 'signup_registrations_total')).toBe(1);
    expect(sample(worker1, SENT) - sample(worker0, SENT)).toBe(1);
    expect(sample(worker1, LATENCY_COUNT) - sample(worker0, LATENCY_COUNT)).toBe(1);
    expect(sample(web1, 'signup_confirmations_total')).toBe(sample(web0, 'signup_confirmations_total'));

    // A known address signing up again is not a new registration.
    await request(stack.url).post('/api/users').send({ email: 'metrics@example.com' }).expect(202);
    await request(stack.url).post('/api/confirmations').send({ token: linkToken(email) }).expect(200);
    await request(stack.url).post('/api/confirmations').send({ token: linkToken(email) }).expect(200); // already confirmed
    const web2 = await scrape(stack.url);
    expect(sample(web2, 'signup_registrations_total') - sample(web0, 'signup_registrations_total')).toBe(1);
    expect(sample(web2, 'signup_confirmations_total') - sample(web0, 'signup_confirmations_total')).toBe(1);
  });

  it('reports the outbox backlog and the queue by state', async () => {
    await request(stack.url).post('/api/users').send({ email: 'gauges@example.com' }).expect(202);
    await sesInbox.waitFor('gauges@example.com');
    await waitFor(async () => sample(await scrape(stack.url), 'signup_outbox_backlog') === 0, { what: 'an empty outbox' });
    const text = await scrape(stack.url);
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      expect(text).toMatch(new RegExp(`^signup_queue_jobs\\{state="${state}"\\} \\d+$`, 'm'));
    }
    expect(text).toContain('process_cpu_seconds_total');

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
