import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { sample, scrape, waitUntilIdle } from '../support/metrics.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('per-address caps on emails (the sign-up form is no mail cannon)', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ RESEND_COOLDOWN_SECONDS: '1' })));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  const signUp = (email: string) => request(stack.url).post('/api/users').send({ email }).expect(202);
  const resend = (email: string) => request(stack.url).post('/api/confirmations/resend').send({ email }).expect(202);

  it('sends at most three links a day to one address, waiting twice as long after each, and answers the same throughout', async () => {
    const victim = 'victim@example.com';
    const first = await signUp(victim);
    await sesInbox.waitFor(victim, 1);
    await pause(1100); // the 1 s cooldown is over
    const answers = [await resend(victim)];
    await sesInbox.waitFor(victim, 2);
    await pause(1100); // over 1 s, but the wait has doubled to 2 s
    answers.push(await resend(victim));
    await waitUntilIdle(stack.url);
    expect(await sesInbox.to(victim)).toHaveLength(2); // the resend within the doubled wait sent nothing
    await pause(1100); // now over 2.2 s since the second link
    answers.push(await resend(victim));
    await sesInbox.waitFor(victim, 3);
    await pause(4500); // past the next doubled wait (4 s): only the daily cap holds it back
    answers.push(await resend(victim));
    const capped = await signUp(victim);
    await waitUntilIdle(stack.url);
    expect(await sesInbox.to(victim)).toHaveLength(3);
    for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
    expect(capped.body).toEqual(first.body);
  }, 20_000);

  it('sends a confirmed address one "someone tried to sign up" notice a day', async () => {
    const notice = 'Someone tried to sign up with your address';
    await signUp('owner@example.com');
    const token = linkToken((await sesInbox.waitFor('owner@example.com'))[0]);
    await request(stack.url).post('/api/confirmations').send({ token }).expect(200);
    await signUp('owner@example.com');
    await waitFor(async () => (await sesInbox.to('owner@example.com', notice)).length === 1, { what: 'the notice' });
    await pause(1100); // the resend cooldown is over: only the daily cap holds the second notice back
    await signUp('owner@example.com');
    await waitUntilIdle(stack.url);
    // Besides the link, whatever a confirmed address is sent otherwise: one notice.
    expect(await sesInbox.to('owner@example.com', notice)).toHaveLength(1);
    expect(await sesInbox.to('owner@example.com', 'Confirm your email address')).toHaveLength(1);
  });
});

describe('the new-address breaker (NEW_ADDRESS_EMAILS_PER_MINUTE)', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ NEW_ADDRESS_EMAILS_PER_MINUTE: '5', RESEND_COOLDOWN_SECONDS: '0' })));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  it('keeps accepting sign-ups past the limit, holds their emails back instead of sending them, and counts it', async () => {
    const emails = Array.from({ length: 8 }, (_, i) => `flood.${i}@example.com`);
    for (const email of emails) await request(stack.url).post('/api/users').send({ email }).expect(202);
    await waitFor(async () => (await sesInbox.toAny(emails)).length >= 5, { what: 'the first five emails' });
    // The other three wait in the queue, delayed, not failed and not lost.
    await waitFor(async () => (await stack.queue.getJobCounts('delayed')).delayed === 3, { what: 'three held-back jobs' });
    expect(await sesInbox.toAny(emails)).toHaveLength(5);
    const metrics = await stack.worker!.get(MetricsService).registry.metrics();
    expect(sample(metrics, 'signup_emails_held_back_total{kind="confirmation"}')).toBeGreaterThanOrEqual(3);
    // The web reads the count from PostgreSQL, where the worker records each send just after SES accepted it.
    await waitFor(async () => sample(await scrape(stack.url), 'signup_new_address_breaker_tripped') === 1, { what: 'the breaker gauge' });
    const sending = await request(stack.url).get('/health/sending').set('Authorization', `Bearer ${process.env.ADMIN_TOKEN}`).expect(503);
    expect(sending.body.details.newAddresses).toEqual({ status: 'down', sentLastMinute: 5, limit: 5 });

    // A known address is no new address: its new link is not held back.
    const known = (await sesInbox.toAny(emails))[0].destination.to[0];
    await sesInbox.clear();
    await request(stack.url).post('/api/confirmations/resend').send({ email: known }).expect(202);
    await sesInbox.waitFor(known);
  });
});
