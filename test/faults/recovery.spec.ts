import { getQueueToken } from '@nestjs/bullmq';
import { UnrecoverableError, Worker, type Queue } from 'bullmq';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { MAIL_QUEUE } from '../../src/queue/jobs.js';
import { redisOptions } from '../../src/queue/redis-options.js';
import { sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

const admin = { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` };

describe('recovery of emails whose job went wrong outside sending', () => {
  let web: Stack | undefined;
  let withWorker: Stack | undefined;
  afterEach(async () => {
    await withWorker?.close();
    await web?.close();
    web = withWorker = undefined;
  });

  async function registeredWithoutWorker(email: string): Promise<{ outboxId: string; queue: Queue }> {
    web = await startStack({ OUTBOX_REQUEUE_AFTER_SECONDS: '2' }, { worker: false });
    await resetState(web);
    await request(web.url).post('/api/users').send({ email }).expect(202);
    const queue = web.web.get<Queue>(getQueueToken(MAIL_QUEUE));
    const outboxId = await waitFor(async () => {
      const [row] = await web!.db.query(`SELECT id FROM mail_outbox WHERE enqueued_at IS NOT NULL`);
      return row ? String(row.id) : null;
    }, { what: 'the outbox row to be queued' });
    return { outboxId, queue };
  }

  it('re-queues an email whose job failed for good without a send attempt (e.g. a long database outage)', async () => {
    const email = `failed.job.${Date.now()}@example.com`;
    const { outboxId, queue } = await registeredWithoutWorker(email);
    // Take the job and fail it for good, as BullMQ does when PostgreSQL stays away past the attempts.
    const taker = new Worker(MAIL_QUEUE, null, { connection: redisOptions(process.env.REDIS_URL!) });
    const job = await waitFor(() => taker.getNextJob('test-token'), { what: 'the job' });
    expect(job.id).toBe(outboxId);
    await job.moveToFailed(new UnrecoverableError('simulated: connection terminated'), 'test-token');
    await taker.close();
    expect(await queue.getJobState(outboxId)).toBe('failed');

    withWorker = await startStack({ OUTBOX_REQUEUE_AFTER_SECONDS: '2' });
    const [sent] = await sesInbox.waitFor(email, 1, 15_000);
    expect(sent.subject).toBe('Confirm your email address');
    // The worker records the send just after SES accepted it.
    const row = await waitFor(async () => {
      const [r] = await web!.db.query(`SELECT generation, sent_at FROM mail_outbox WHERE id = $1`, [outboxId]);
      return r.sent_at ? r : null;
    }, { what: 'sent_at to be recorded' });
    expect(row.generation).toBe(1);
  });

  it('re-queues an email whose job Redis lost', async () => {
    const email = `lost.job.${Date.now()}@example.com`;
    const { outboxId, queue } = await registeredWithoutWorker(email);
    await queue.remove(outboxId);
    withWorker = await startStack({ OUTBOX_REQUEUE_AFTER_SECONDS: '2' });
    await sesInbox.waitFor(email, 1, 15_000);
  });

  it('records email_sent even when it was the recording that failed the first time', async () => {
    const email = `half.sent.${Date.now()}@example.com`;
    const { outboxId } = await registeredWithoutWorker(email);
    // SES accepted the email and the outbox says so, but the user row was never updated.
    await web!.db.query(`UPDATE mail_outbox SET sent_at = now() - interval '1 minute' WHERE id = $1`, [outboxId]);
    withWorker = await startStack();
    const user = await waitFor(async () => {
      const [u] = (await request(web!.url).get('/api/admin/users').query({ email }).set(admin)).body;
      return u?.emailSent ? u : null;
    }, { what: 'email_sent' });
    expect(user.emailSentAt).not.toBeNull();
    expect(await sesInbox.to(email)).toHaveLength(0); // recorded, not sent twice
  });
});
