import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { sample } from '../support/metrics.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

// 0.00003 days is 2.6 s: old enough to be deleted within a test.
const SHORT_DAYS = '0.00003';
const admin = { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` };

describe('retention', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ RETENTION_DAYS: SHORT_DAYS, UNCONFIRMED_RETENTION_DAYS: SHORT_DAYS });
    await resetState(stack);
  });
  afterAll(async () => stack?.close());

  const userNamed = async (email: string) =>
    (await request(stack.url).get('/api/admin/users').query({ email }).set(admin).expect(200)).body[0];
  const workerMetrics = async () => stack.worker!.get(MetricsService).registry.metrics();

  it('deletes never-confirmed users, used tokens and sent emails once old, keeps confirmed users, and frees the address', async () => {
    await request(stack.url).post('/api/users').send({ email: 'kept@example.com' }).expect(202);
    await request(stack.url).post('/api/users').send({ email: 'abandoned@example.com' }).expect(202);
    const token = linkToken((await sesInbox.waitFor('kept@example.com'))[0]);
    await request(stack.url).post('/api/confirmations').send({ token }).expect(200);
    const abandoned = await waitFor(() => userNamed('abandoned@example.com'), { what: 'the abandoned sign-up' });

    await waitFor(async () => (await userNamed('abandoned@example.com')) === undefined, { what: 'the never-confirmed user to be deleted' });
    await waitFor(async () => (await stack.testApi.tokens.count()) === 0 && (await stack.testApi.mail.outboxCount()) === 0, {
      what: 'the used token and the sent emails to be deleted',
    });
    expect(await userNamed('kept@example.com')).toMatchObject({ confirmed: true });
    await request(stack.url).post('/api/confirmations').send({ token }).expect(404); // its token is gone too

    const metrics = await workerMetrics();
    expect(sample(metrics, 'signup_retention_deleted_total{what="never-confirmed-users"}')).toBe(1);
    expect(sample(metrics, 'signup_retention_deleted_total{what="tokens"}')).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'signup_retention_deleted_total{what="emails"}')).toBeGreaterThanOrEqual(1);

    // The address can sign up again, as a new user with a new link.
    await request(stack.url).post('/api/users').send({ email: 'abandoned@example.com' }).expect(202);
    await sesInbox.waitFor('abandoned@example.com', 2);
    const again = await waitFor(() => userNamed('abandoned@example.com'), { what: 'the new sign-up' });
    expect(again.id).not.toBe(abandoned.id);
  });
});
