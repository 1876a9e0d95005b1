import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUser } from '../support/api.js';
import { sample, scrape } from '../support/metrics.js';
import { postSns, resetFeedback, sesMessageId } from '../support/ses-feedback.js';
import { sesInbox } from '../support/ses-inbox.js';
import { ses, startSnsStandIn, TOPIC } from '../support/sns.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

const admin = { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` };
const SENDS = 20;

describe('the reputation guard: bounce rate over the recent sends, warning in /health/sending, automatic pause until resumed', () => {
  let stack: Stack;
  let sns: Awaited<ReturnType<typeof startSnsStandIn>>;

  beforeAll(async () => {
    sns = await startSnsStandIn();
    stack = await startStack({
      SES_SNS_TOPIC_ARNS: TOPIC,
      SNS_CERT_URL_PREFIXES: sns.base,
      SES_AUTO_PAUSE: 'true',
      SES_REPUTATION_MIN_SENDS: '10',
      SES_REPUTATION_WINDOW: '100',
    });
    await resetState(stack);
    await resetFeedback(stack);
  });
  afterAll(async () => {
    await resetFeedback(stack);
    await stack?.close();
    await sns?.close();
  });

  const sending = async () => {
    await new Promise((r) => setTimeout(r, 1100)); // past the one-second caches
    return request(stack.url).get('/health/sending').set(admin);
  };

  it(
    'a burst of bounces raises the gauge and the health detail, pauses sending, and a resume lets it go on',
    { timeout: 60_000 },
    async () => {
      const addresses = Array.from({ length: SENDS }, (_, i) => `burst${i}@example.com`);
      for (const email of addresses) await request(stack.url).post('/api/users').send({ email }).expect(202);
      for (const email of addresses) await sesInbox.waitFor(email);
      const healthy = await sending();
      expect(healthy.status).toBe(200);
      expect(healthy.body.details.reputation).toMatchObject({ status: 'up', sends: SENDS, bounceRate: 0, autoPaused: false });

      // One hard bounce in 20 sends: 5 %, over the 4 % warning, under the 8 % pause level.
      await postSns(
        stack,
        sns.notification(ses.bounce(addresses[0], await sesMessageId(stack, addresses[0]), 'Permanent', 'General')),
      ).expect(200);
      const warned = await sending();
      expect(warned.status).toBe(503);
      expect(warned.body.details.reputation).toMatchObject({
        status: 'down',
        bounces: 1,
        bounceRate: 0.05,
        autoPaused: false,
        message: expect.stringMatching(/bounce rate 5 %/),
      });
      expect(sample(await scrape(stack.url), 'signup_ses_bounce_rate')).toBeCloseTo(0.05);
      // Anyone sees only up/down.
      expect((await request(stack.url).get('/health/sending')).body.details.reputation).toEqual({ status: 'down' });
      // Not readiness: sign-ups go on being taken.
      await request(stack.url).get('/health').expect(200);

      // A second one: 10 %, over the pause level.
      await postSns(
        stack,
        sns.notification(ses.bounce(addresses[1], await sesMessageId(stack, addresses[1]), 'Permanent', 'General'), { version: '2' }),
      ).expect(200);
      const paused = await sending();
      expect(paused.status).toBe(503);
      expect(paused.body.details.reputation).toMatchObject({
        autoPaused: true,
        message: expect.stringMatching(/paused automatically.*bounce rate 10 %/),
      });
      const metrics = await scrape(stack.url);
      expect(sample(metrics, 'signup_sending_auto_paused')).toBe(1);
      expect(sample(metrics, 'signup_ses_bounce_rate')).toBeCloseTo(0.1);
      expect(sample(metrics, 'signup_ses_feedback_total{type="bounce",subtype="Permanent/General"}')).toBe(2);
      expect(sample(metrics, 'signup_email_suppressions_total{reason="bounce"}')).toBe(2);

      // Paused: a new sign-up is accepted; a worker takes its email and puts it back, unsent and not failed.
      await new Promise((r) => setTimeout(r, 1100)); // the workers' one-second cache of the pause
      await request(stack.url).post('/api/users').send({ email: 'while.paused@example.com' }).expect(202);
      await waitFor(async () => (await stack.queue.getJobs(['waiting', 'prioritized'])).some((job) => job.attemptsStarted > 0), {
        what: 'a worker to take the email and put it back',
      });
      expect(await sesInbox.to('while.paused@example.com')).toHaveLength(0);
      expect(await adminUser(stack.url, 'while.paused@example.com')).toMatchObject({ emailSent: false, emailError: null });

      await request(stack.url).post('/api/admin/sending/resume').expect(401);
      await request(stack.url).post('/api/admin/sending/resume').set(admin).expect(204);
      await sesInbox.waitFor('while.paused@example.com', 1, 15_000);
      // The rates themselves still say "warning" until better sends dilute them; the pause is over.
      const after = await sending();
      expect(after.body.details.reputation).toMatchObject({ autoPaused: false, status: 'down' });
      expect(sample(await scrape(stack.url), 'signup_sending_auto_paused')).toBe(0);
    },
  );
});
