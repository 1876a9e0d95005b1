import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { feedbackCounts, postSns, resetFeedback, sesMessageId } from '../support/ses-feedback.js';
import { sesInbox } from '../support/ses-inbox.js';
import { GOOD_PASSWORD, bearer, confirmedAccount, signIn } from '../support/accounts.js';
import { freePort } from '../support/processes.js';
import { ses, startSnsStandIn, TOPIC } from '../support/sns.js';
import { startSqsStandIn } from '../support/sqs-stand-in.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

const admin = { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` };

describe('SES feedback rules (SNS and SQS both configured)', () => {
  let stack: Stack;
  let sns: Awaited<ReturnType<typeof startSnsStandIn>>;
  let sqs: Awaited<ReturnType<typeof startSqsStandIn>>;
  let unreachableCertHost: string;

  beforeAll(async () => {
    sns = await startSnsStandIn();
    sqs = await startSqsStandIn();
    unreachableCertHost = `https://127.0.0.1:${await freePort()}/`;
    stack = await startStack({
      SES_SNS_TOPIC_ARNS: TOPIC,
      SNS_CERT_URL_PREFIXES: `${sns.base},${unreachableCertHost}`,
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

  it('answers 503 (SNS tries again) when the certificate host does not answer, and handles the message once it does', async () => {
    const email = 'cert.later@example.com';
    const message = sns.notification(ses.bounce(email, await sent(email), 'Permanent', 'General'));
    const { Signature: _signature, ...unsigned } = message;
    const unreachable = sns.sign({ ...unsigned, SigningCertURL: `${unreachableCertHost}SimpleNotificationService-test.pem` });
    await postSns(stack, unreachable).expect(503);
    expect(await feedbackCounts(stack)).toMatchObject({ suppressions: 0, messages: 0 });
    await postSns(stack, message).expect(200, { status: 'handled' });
    expect(await suppressed(email)).toMatchObject([{ reason: 'bounce' }]);
  });

  it('never suppresses for Undetermined bounces, however many', async () => {
    const email = 'undetermined@example.com';
    const id = await sent(email);
    for (let i = 0; i < 4; i++) {
      await postSns(stack, sns.notification(ses.bounce(email, id, 'Undetermined', 'Undetermined'))).expect(200, { status: 'handled' });
    }
    expect(await feedbackCounts(stack)).toMatchObject({ suppressions: 0, events: 4 });
  });

  it('counts only the soft bounces of the last 7 days', async () => {
    const email = 'soft.week@example.com';
    const id = await sent(email);
    const softBounce = () => postSns(stack, sns.notification(ses.bounce(email, id, 'Transient', 'General'))).expect(200);
    await softBounce();
    await softBounce();
    await stack.testApi.sesFeedback.ageFeedback(8); // those two are 8 days old now
    await softBounce();
    await softBounce();
    expect(await suppressed(email)).toEqual([]);
    await stack.testApi.sesFeedback.ageFeedback(6); // the last two are 6 days old: still within the week
    await softBounce();
    expect(await suppressed(email)).toMatchObject([{ reason: 'bounce', detail: expect.stringMatching(/^3 soft bounces within 7 days/) }]);
  });

  it('keeps a suppression after the user deletes the account: signing up again sends nothing', async () => {
    const email = await confirmedAccount(stack, 'deleted.later@example.com');
    const id = await sesMessageId(stack, email);
    await postSns(stack, sns.notification(ses.complaint(email, id))).expect(200, { status: 'handled' });
    const session = await signIn(stack, email);
    await request(stack.url).delete('/api/me').set(bearer(session)).send({ password: GOOD_PASSWORD }).expect(204);
    expect(await suppressed(email)).toMatchObject([{ reason: 'complaint' }]);

    await sesInbox.clear();
    await request(stack.url).post('/api/users').send({ email }).expect(202);
    await waitFor(
      async () =>
        (await request(stack.url).get('/api/admin/users').query({ email }).set(admin).expect(200)).body[0]?.emailError ===
        'suppressed: complaint',
      { what: 'the new confirmation email failed as suppressed' },
    );
    expect(await sesInbox.to(email)).toEqual([]);
  });
});
