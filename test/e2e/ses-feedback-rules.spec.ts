import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { feedbackCounts, postSns, resetFeedback, sesMessageId } from '../support/ses-feedback.js';
import { sesInbox } from '../support/ses-inbox.js';
import { ses, startSnsStandIn, TOPIC } from '../support/sns.js';
import { startSqsStandIn } from '../support/sqs-stand-in.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

const admin = { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` };

describe('SES feedback rules (SNS and SQS both configured)', () => {
  let stack: Stack;
  let sns: Awaited<ReturnType<typeof startSnsStandIn>>;
  let sqs: Awaited<ReturnType<typeof startSqsStandIn>>;

  beforeAll(async () => {
    sns = await startSnsStandIn();
    sqs = await startSqsStandIn();
    stack = await startStack({
      SES_SNS_TOPIC_ARNS: TOPIC,
      SNS_CERT_URL_PREFIXES: sns.base,
      SES_FEEDBACK_QUEUE_URL: sqs.queueUrl,
      SES_SOFT_BOUNCE_LIMIT: '3',
      RESEND_COOLDOWN_SECONDS: '0',
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
  });

  const suppressed = async (email: string) =>
    (await request(stack.url).get('/api/admin/suppressions').set(admin).expect(200)).body.filter(
      (s: { email: string }) => s.email === email,
    );
  async function sent(email: string) {
    await request(stack.url).post('/api/users').send({ email }).expect(202);
    await sesInbox.waitFor(email);
    return sesMessageId(stack, email);
  }
  /** Delivers the SES message raw through SQS and waits until the worker is done with it. */
  async function overSqs(message: object) {
    const id = sqs.send(JSON.stringify(message));
    await waitFor(() => sqs.deleted.includes(id), { what: 'the SQS message handled and deleted' });
  }

  it('handles a bounce once when the SQS subscription delivers it raw and SNS delivers it too', async () => {
    const email = 'both.paths@example.com';
    const id = await sent(email);
    const first = ses.bounce(email, id, 'Transient', 'MailboxFull');
    const second = ses.bounce(email, id, 'Transient', 'MailboxFull');

    // The first over SNS, then raw over SQS; the second the other way round.
    await postSns(stack, sns.notification(first)).expect(200, { status: 'handled' });
    await overSqs(first);
    await overSqs(second);
    await postSns(stack, sns.notification(second)).expect(200, { status: 'duplicate' });
    // Two soft bounces: under the limit of three.
    expect(await feedbackCounts(stack)).toMatchObject({ suppressions: 0, events: 2 });

    // The third real one suppresses.
    const third = ses.bounce(email, id, 'Transient', 'MailboxFull');
    await overSqs(third);
    await postSns(stack, sns.notification(third)).expect(200, { status: 'duplicate' });
    expect(await feedbackCounts(stack)).toMatchObject({ suppressions: 1, events: 3 });
    expect(await suppressed(email)).toMatchObject([{ reason: 'bounce' }]);
  });
});
