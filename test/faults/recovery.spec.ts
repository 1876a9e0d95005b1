import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { adminUser, register } from '../support/api.js';
import { backlog, waitUntilIdle } from '../support/metrics.js';
import { sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

describe('recovery of emails whose job went wrong outside sending', () => {
  let web: Stack | undefined;
  let withWorker: Stack | undefined;
  afterEach(async () => {
    await withWorker?.close();
    await web?.close();
    web = withWorker = undefined;
  });

  /** Registers an address with no worker running and waits until its email is a job in the queue. */
  async function registeredWithoutWorker(email: string): Promise<Stack> {
    web = await startStack({ OUTBOX_REQUEUE_AFTER_SECONDS: '2' }, { worker: false });
    await resetState(web);
    expect(await register(web.url, email)).toBe(202);
    await waitFor(
      async () => {
        const b = await backlog(web!.url);
        return b.outbox === 0 && b.waiting === 1;
      },
      { what: 'the email to wait in the queue' },
    );
    return web;
  }

  it('re-queues an email whose job failed for good without a send attempt (e.g. a long database outage)', async () => {
    const email = `failed.job.${Date.now()}@example.com`;
    const { queue } = await registeredWithoutWorker(email);
    // Take the job (this file's Redis holds no other) and fail it for good, as BullMQ does when
    // PostgreSQL stays away past the attempts.
    const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    const taker = new Worker(queue.name, null, { connection, prefix: queue.opts.prefix });
    const job = await waitFor(() => taker.getNextJob('test-token'), { what: 'the job' });
    await job.moveToFailed(new UnrecoverableError('simulated: connection terminated'), 'test-token');
    await taker.close();
    connection.disconnect();
    expect(await backlog(web!.url)).toMatchObject({ waiting: 0, active: 0, failed: 1 });

    withWorker = await startStack({ OUTBOX_REQUEUE_AFTER_SECONDS: '2' });
    const [sent] = await sesInbox.waitFor(email, 1, 15_000);
    expect(sent.subject).toBe('Confirm your email address');
    // The worker records the send just after SES accepted it.
    await waitFor(async () => (await adminUser(web!.url, email))?.emailSent, { what: 'email_sent to be recorded' });
    await waitUntilIdle(web!.url);
    expect(await sesInbox.to(email)).toHaveLength(1);
  });

  it('re-queues an email whose job Redis lost', async () => {
    const email = `lost.job.${Date.now()}@example.com`;
    const { queue } = await registeredWithoutWorker(email);
    await queue.drain(); // the waiting job is gone, as after a Redis without persistence restarted
    expect(await backlog(web!.url)).toMatchObject({ outbox: 0, waiting: 0 });
    withWorker = await startStack({ OUTBOX_REQUEUE_AFTER_SECONDS: '2' });
    const [sent] = await sesInbox.waitFor(email, 1, 15_000);
    expect(sent.subject).toBe('Confirm your email address');
    await waitFor(async () => (await adminUser(web!.url, email))?.emailSent, { what: 'email_sent to be recorded' });
    await waitUntilIdle(web!.url);
    expect(await sesInbox.to(email)).toHaveLength(1);
  });

  it('sends nothing again for a job that comes back after its email went out (a crash after the send), and keeps email_sent', async () => {
    const email = `sent.twice.${Date.now()}@example.com`;
    const { queue } = await registeredWithoutWorker(email);
    const [job] = await queue.getJobs(['waiting']);
    withWorker = await startStack({ OUTBOX_REQUEUE_AFTER_SECONDS: '2' });
    await sesInbox.waitFor(email, 1, 15_000);
    // The send and email_sent are recorded in one transaction, with the fact that reports the send.
    await waitFor(async () => (await adminUser(web!.url, email))?.emailSent, { what: 'email_sent to be recorded' });
    await queue.add(job.name, job.data, { jobId: `${job.id}-redelivered` });
    await waitUntilIdle(web!.url);
    expect(await sesInbox.to(email)).toHaveLength(1);
    expect((await adminUser(web!.url, email))?.emailSent).toBe(true);
  });
});
