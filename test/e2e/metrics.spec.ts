import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { sample, scrape } from '../support/metrics.js';
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
