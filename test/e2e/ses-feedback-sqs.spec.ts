import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { sample } from '../support/metrics.js';
import { freePort, runDist, type RunningProcess } from '../support/processes.js';
import { feedbackCounts, resetFeedback, sesMessageId } from '../support/ses-feedback.js';
import { sesInbox } from '../support/ses-inbox.js';
import { ses, type SnsMessage, startSnsStandIn, TOPIC } from '../support/sns.js';
import { startSqsStandIn } from '../support/sqs-stand-in.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { tcpProxy, withPort } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait-for.js';

const admin = { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` };

const OTHER_TOPIC = 'arn:aws:sns:us-east-1:123456789012:someone-elses-topic';

/** The same envelope signed again with other fields: a genuine signature over what it now says. */
function resigned(sns: SnsStandIn, message: SnsMessage, fields: Partial<SnsMessage>): SnsMessage {
  const { Signature: _signature, ...unsigned } = message;
  return sns.sign({ ...unsigned, ...fields });
}

type SnsStandIn = Awaited<ReturnType<typeof startSnsStandIn>>;

describe('SES feedback from SQS (SES_FEEDBACK_QUEUE_URL), the real SQS client against a JSON-protocol stand-in', () => {
  let stack: Stack;
  let sqs: Awaited<ReturnType<typeof startSqsStandIn>>;
  let sns: SnsStandIn;
  let unreachableCertHost: string;
  /** An SNS envelope as SNS puts it into SQS without raw message delivery: signed, from the allowed topic. */
  const envelope = (message: object, options: { version?: '1' | '2' } = {}) => JSON.stringify(sns.notification(message, options));
  const dropped = async (reason: string) =>
    sample(await stack.worker!.get(MetricsService).registry.metrics(), `signup_ses_feedback_dropped_total{reason="${reason}"}`, {
      absentAs: 0,
    });

  beforeAll(async () => {
    sqs = await startSqsStandIn();
    sns = await startSnsStandIn();
    unreachableCertHost = `https://127.0.0.1:${await freePort()}/`;
    stack = await startStack({
      SES_FEEDBACK_QUEUE_URL: sqs.queueUrl,
      SES_SNS_TOPIC_ARNS: TOPIC,
      SNS_CERT_URL_PREFIXES: `${sns.base},${unreachableCertHost}`,
    });
  });
  afterAll(async () => {
    await stack?.close();
    await sqs?.close();
    await sns?.close();
  });
  beforeEach(async () => {
    await resetState(stack);
    await resetFeedback(stack);
    sqs.options.onDelete = undefined;
  });

  const suppressions = async () => (await request(stack.url).get('/api/admin/suppressions').set(admin).expect(200)).body;
  async function sent(email: string) {
    await request(stack.url).post('/api/users').send({ email }).expect(202);
    await sesInbox.waitFor(email);
    return sesMessageId(stack, email);
  }

  it('suppresses from an SNS envelope, and deletes the message only once the change is committed', async () => {
    const id = await sent('sqs.hard@example.com');
    const seenAtDelete: number[] = [];
    sqs.options.onDelete = async () => {
      // Another connection: sees only what is committed.
      seenAtDelete.push((await suppressions()).filter((s: { email: string }) => s.email === 'sqs.hard@example.com').length);
    };
    const message = sqs.send(envelope(ses.bounce('sqs.hard@example.com', id, 'Permanent', 'General')));
    await waitFor(() => sqs.deleted.includes(message), { what: 'the message deleted' });
    expect(seenAtDelete).toEqual([1]);
    expect(await suppressions()).toMatchObject([{ email: 'sqs.hard@example.com', reason: 'bounce' }]);
  });

  it('takes raw message delivery (the SES JSON alone), complaints from event publishing included', async () => {
    const id = await sent('sqs.raw@example.com');
    const message = sqs.send(JSON.stringify(ses.complaint('sqs.raw@example.com', id, 'eventType')));
    await waitFor(() => sqs.deleted.includes(message), { what: 'the message deleted' });
    expect(await suppressions()).toMatchObject([{ email: 'sqs.raw@example.com', reason: 'complaint' }]);
  });

  it('acts once on the same message delivered twice', async () => {
    const id = await sent('sqs.twice@example.com');
    const body = envelope(ses.bounce('sqs.twice@example.com', id, 'Transient', 'General'), { version: '2' });
    const [a, b] = [sqs.send(body), sqs.send(body)];
    await waitFor(() => sqs.deleted.includes(a) && sqs.deleted.includes(b), { what: 'both deleted' });
    expect(await feedbackCounts(stack)).toMatchObject({ messages: 1, events: 1 });
  });

  it('deletes a message that can never be handled, rather than receiving it for ever', async () => {
    const [notJson, unknownType] = [await dropped('not-json'), await dropped('unknown-type')];
    const poison = sqs.send('not json at all');
    const unknown = sqs.send(JSON.stringify({ notificationType: 'Teleport' }));
    await waitFor(() => sqs.deleted.includes(poison) && sqs.deleted.includes(unknown), { what: 'both deleted' });
    expect(await feedbackCounts(stack)).toMatchObject({ suppressions: 0, messages: 0 });
    expect([await dropped('not-json'), await dropped('unknown-type')]).toEqual([notJson + 1, unknownType + 1]);
  });

  it('deletes, counts and ignores an envelope that is forged, tampered with, from another topic or certificate host', async () => {
    const id = await sent('sqs.forged@example.com');
    const bounce = sns.notification(ses.bounce('sqs.forged@example.com', id, 'Permanent', 'General'));
    const reasons = ['bad-signature', 'topic-not-allowed', 'certificate-url-not-allowed', 'malformed'];
    const before = await Promise.all(reasons.map(dropped));
    const bad = {
      forged: sqs.send(
        JSON.stringify(sns.notification(ses.bounce('sqs.forged@example.com', id, 'Permanent', 'General'), { forged: true })),
      ),
      // A genuine complaint's signature over a bounce's Message.
      tampered: sqs.send(JSON.stringify({ ...sns.notification(ses.complaint('sqs.forged@example.com', id)), Message: bounce.Message })),
      otherTopic: sqs.send(JSON.stringify(resigned(sns, bounce, { MessageId: crypto.randomUUID(), TopicArn: OTHER_TOPIC }))),
      otherCertHost: sqs.send(
        JSON.stringify({ ...bounce, MessageId: crypto.randomUUID(), SigningCertURL: 'https://attacker.example.com/cert.pem' }),
      ),
      unsigned: sqs.send(JSON.stringify({ ...bounce, MessageId: crypto.randomUUID(), Signature: undefined })),
    };
    await waitFor(() => Object.values(bad).every((m) => sqs.deleted.includes(m)), { what: 'every bad envelope deleted' });
    expect(await feedbackCounts(stack)).toMatchObject({ suppressions: 0, messages: 0, events: 0 });
    expect(await suppressions()).toEqual([]);
    // forged and tampered; otherTopic; otherCertHost; unsigned
    expect(await Promise.all(reasons.map(dropped))).toEqual([before[0] + 2, before[1] + 1, before[2] + 1, before[3] + 1]);

    // The genuine one, after all of them, is handled.
    const genuine = sqs.send(JSON.stringify(bounce));
    await waitFor(() => sqs.deleted.includes(genuine), { what: 'the genuine envelope deleted' });
    expect(await suppressions()).toMatchObject([{ email: 'sqs.forged@example.com', reason: 'bounce' }]);
  });

  it('leaves an envelope whose certificate host does not answer in the queue, to be tried again', async () => {
    const id = await sent('sqs.later@example.com');
    const bounce = sns.notification(ses.bounce('sqs.later@example.com', id, 'Permanent', 'General'));
    const message = sqs.send(
      JSON.stringify(resigned(sns, bounce, { SigningCertURL: `${unreachableCertHost}SimpleNotificationService-test.pem` })),
    );
    await waitFor(() => (sqs.receives(message) ?? 0) >= 2, { what: 'the message received again after its visibility timeout' });
    expect(sqs.deleted).not.toContain(message);
    expect(await feedbackCounts(stack)).toMatchObject({ suppressions: 0, messages: 0 });
  });
});

describe('SES feedback from SQS across a worker crash (real processes)', () => {
  let sqs: Awaited<ReturnType<typeof startSqsStandIn>>;
  let sns: SnsStandIn;
  const workers: RunningProcess[] = [];
  let stack: Stack;

  beforeAll(async () => {
    sqs = await startSqsStandIn({ visibilityMs: 2_000 });
    sns = await startSnsStandIn();
    stack = await startStack({}, { worker: false });
    await resetState(stack);
    await resetFeedback(stack);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await stack?.close();
    await sqs?.close();
    await sns?.close();
  });
  const envelope = (message: object) => JSON.stringify(sns.notification(message));
  const workerEnv = () => ({
    SES_FEEDBACK_QUEUE_URL: sqs.queueUrl,
    SNS_CERT_URL_PREFIXES: sns.base,
    CONFIRMATION_REMINDER_AFTER_SECONDS: '0',
  });

  it('leaves a message whose change never committed in the queue, and the next worker applies it', { timeout: 60_000 }, async () => {
    const db = new URL(process.env.DATABASE_URL!);
    const pg = await tcpProxy({ host: db.hostname, port: Number(db.port || 5432) });
    try {
      const env = workerEnv();
      const first = runDist('main.worker.js', { ...env, DATABASE_URL: withPort(db.toString(), pg.port) });
      workers.push(first);
      await waitFor(() => sqs.receiveCalls() > 0, { timeoutMs: 20_000, what: 'the first worker polling' });
      await pg.cut(); // its transaction cannot commit
      const message = sqs.send(envelope(ses.bounce('crash@example.com', 'ses-crash-1', 'Permanent', 'General')));
      await waitFor(() => (sqs.receives(message) ?? 0) >= 1, { what: 'the message received' });
      await new Promise((r) => setTimeout(r, 300));
      await first.stop('SIGKILL');
      expect(sqs.inQueue(message)).toBe(true);
      expect((await feedbackCounts(stack)).suppressions).toBe(0);

      const second = runDist('main.worker.js', env);
      workers.push(second);
      await waitFor(() => sqs.deleted.includes(message), { timeoutMs: 30_000, what: 'the message redelivered and deleted' });
      expect(sqs.receives(message)).toBeNull(); // gone from the queue
      const suppressions = (await request(stack.url).get('/api/admin/suppressions').set(admin).expect(200)).body;
      expect(suppressions.filter((s: { email: string }) => s.email === 'crash@example.com')).toMatchObject([{ reason: 'bounce' }]);
    } finally {
      await pg.close();
    }
  });

  it(
    'when a worker dies after the commit but before the delete, the redelivered message changes nothing more',
    { timeout: 60_000 },
    async () => {
      const env = workerEnv();
      sqs.options.holdDeletes = true;
      const first = runDist('main.worker.js', env);
      workers.push(first);
      const message = sqs.send(envelope(ses.bounce('late.delete@example.com', 'ses-crash-2', 'Transient', 'General')));
      await waitFor(async () => (await stack.testApi.sesFeedback.eventsAbout('ses-crash-2')) === 1, {
        timeoutMs: 20_000,
        what: 'the change committed',
      });
      await first.stop('SIGKILL');
      sqs.options.holdDeletes = false;
      expect(sqs.inQueue(message)).toBe(true);

      const second = runDist('main.worker.js', env);
      workers.push(second);
      await waitFor(() => sqs.deleted.includes(message), { timeoutMs: 30_000, what: 'the redelivered message deleted' });
      expect(await stack.testApi.sesFeedback.eventsAbout('ses-crash-2')).toBe(1);
      await second.stop();
    },
  );
});
