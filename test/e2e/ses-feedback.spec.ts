import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfirmationReminders } from '../../src/users/confirmation-reminders.service.js';
import { feedbackCounts, postSns, resetFeedback, sesMessageId } from '../support/ses-feedback.js';
import { sesInbox } from '../support/ses-inbox.js';
import { ses, startSnsStandIn, TOPIC } from '../support/sns.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';
import { waitUntilWebhooksIdle } from '../support/webhooks-idle.js';
import { SECRET_A, webhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const admin = { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` };

describe('SES feedback over SNS (POST /webhooks/ses), with real signatures', () => {
  let stack: Stack;
  let sns: Awaited<ReturnType<typeof startSnsStandIn>>;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    sns = await startSnsStandIn();
    receiver = await webhookReceiver([SECRET_A]);
    stack = await startStack({
      SES_SNS_TOPIC_ARNS: TOPIC,
      SNS_CERT_URL_PREFIXES: sns.base,
      RESEND_COOLDOWN_SECONDS: '0',
      SES_SOFT_BOUNCE_LIMIT: '3',
      WEBHOOK_URLS: receiver.url,
      WEBHOOK_SECRET: SECRET_A,
      WEBHOOK_EVENTS: 'email.suppressed',
    });
  });
  afterAll(async () => {
    await stack?.close();
    await sns?.close();
    await receiver?.close();
  });
  beforeEach(async () => {
    await resetState(stack);
    await resetFeedback(stack);
  });

  const signUp = (email: string) => request(stack.url).post('/api/users').send({ email }).expect(202);
  const suppressions = async () => (await request(stack.url).get('/api/admin/suppressions').set(admin).expect(200)).body;
  const failedTo = async (email: string): Promise<Array<{ kind: string; error: string }>> =>
    (await request(stack.url).get('/api/admin/emails/failed').set(admin).expect(200)).body.filter(
      (e: { recipient: string }) => e.recipient === email,
    );
  const emailError = async (email: string) =>
    (await request(stack.url).get('/api/admin/users').query({ email }).set(admin).expect(200)).body[0]?.emailError;

  /** Signs up, waits for the email and bounces it for good. */
  async function hardBounce(email: string, version: '1' | '2' = '1') {
    await signUp(email);
    await sesInbox.waitFor(email);
    const message = sns.notification(ses.bounce(email, await sesMessageId(stack, email), 'Permanent', 'General'), { version });
    await postSns(stack, message).expect(200, { status: 'handled' });
    return message;
  }

  it('confirms a subscription by fetching its SubscribeURL once, only after the signature checked out (v1 and v2)', async () => {
    sns.subscribeCalls.length = 0;
    const forged = sns.subscription('SubscriptionConfirmation', { forged: true });
    await postSns(stack, forged).expect(403);
    expect(sns.subscribeCalls).toHaveLength(0);

    for (const version of ['1', '2'] as const) {
      const genuine = sns.subscription('SubscriptionConfirmation', { version });
      await postSns(stack, genuine).expect(200, { status: 'handled' });
      await postSns(stack, genuine).expect(200, { status: 'duplicate' });
      expect(sns.subscribeCalls.filter((url) => url.includes(genuine.Token!))).toHaveLength(1);
    }
    expect(sns.subscribeCalls).toHaveLength(2);
  });

  it('checks an UnsubscribeConfirmation signed the way AWS signs it (with Token), and refuses a forged one', async () => {
    const calls = sns.subscribeCalls.length;
    for (const version of ['1', '2'] as const) {
      await postSns(stack, sns.subscription('UnsubscribeConfirmation', { version })).expect(200, { status: 'handled' });
      await postSns(stack, sns.subscription('UnsubscribeConfirmation', { version, forged: true })).expect(403);
    }
    // Signed like a Notification (without Token), as sns-validator 0.3.5 expects it: not what AWS sends.
    const genuine = sns.subscription('UnsubscribeConfirmation');
    const { Token, ...withoutToken } = genuine;
    const notificationStyle = sns.sign({ ...withoutToken, Type: 'UnsubscribeConfirmation' });
    await postSns(stack, { ...notificationStyle, Token }).expect(403);
    // Logged, not confirmed: nothing is fetched for an unsubscription.
    expect(sns.subscribeCalls).toHaveLength(calls);
  });

  it('suppresses a hard bounce at once: the worker skips the address, its emailError says so, sign-up answers as ever and sends nothing', async () => {
    const other = await request(stack.url).post('/api/users').send({ email: 'fresh@example.com' }).expect(202);
    await hardBounce('gone@example.com');
    expect(await suppressions()).toEqual([
      {
        email: 'gone@example.com',
        reason: 'bounce',
        detail: 'Permanent/General: smtp; 550 5.1.1 user unknown',
        createdAt: expect.any(String),
      },
    ]);

    const again = await request(stack.url).post('/api/users').send({ email: 'Gone@Example.com' }).expect(202);
    expect(again.body).toEqual(other.body);
    await request(stack.url).post('/api/confirmations/resend').send({ email: 'gone@example.com' }).expect(202);
    await waitFor(async () => (await failedTo('gone@example.com')).filter((e) => e.error === 'suppressed: bounce').length === 2, {
      what: 'both new emails failed as suppressed',
    });
    // Only the first of the three went out.
    expect(await sesInbox.to('gone@example.com')).toHaveLength(1);
    expect((await failedTo('gone@example.com')).map((e) => e.error)).toEqual(['suppressed: bounce', 'suppressed: bounce']);
    expect(await emailError('gone@example.com')).toBe('suppressed: bounce');
  });

  it('tells the app with an email.suppressed webhook, once, in the transaction that suppressed the address', async () => {
    const message = await hardBounce('hooked.bounce@example.com');
    await postSns(stack, message).expect(200); // the same message again: a duplicate, nothing more
    const [user] = (await request(stack.url).get('/api/admin/users').query({ email: 'hooked.bounce@example.com' }).set(admin).expect(200))
      .body;
    // Wait for the webhook itself: an empty list would count as done.
    const suppressed = await waitFor(
      () => {
        const hooks = receiver.received.filter((r) => r.payload.type === 'email.suppressed' && r.payload.data.userId === user.id);
        return hooks.length > 0 && hooks;
      },
      { what: 'the email.suppressed webhook' },
    );
    await waitUntilWebhooksIdle(stack); // anything sent twice has arrived by now
    expect(receiver.received.filter((r) => r.payload.data.userId === user.id).map((r) => r.payload.data)).toEqual([
      {
        userId: user.id,
        email: 'hooked.bounce@example.com',
        locale: 'en',
        reason: 'bounce',
        detail: 'Permanent/General: smtp; 550 5.1.1 user unknown',
      },
    ]);
    expect(suppressed).toHaveLength(1);
    expect(receiver.rejected).toEqual([]);
  });

  it('skips a suppressed address in the reminders too', async () => {
    await hardBounce('forgot@example.com', '2');
    await stack.testApi.users.backdateLastLink('forgot@example.com', 3 * 86_400);
    expect(await stack.worker!.get(ConfirmationReminders).sendDue()).toBe(1);
    await waitFor(
      async () =>
        (await failedTo('forgot@example.com')).some((e) => e.kind === 'confirmation-reminder' && e.error === 'suppressed: bounce'),
      { what: 'the reminder failed as suppressed' },
    );
    expect(await sesInbox.to('forgot@example.com')).toHaveLength(1);
  });

  it('lets an admin lift a suppression (204, then 404), after which a retried email goes out', async () => {
    await hardBounce('back@example.com');
    await request(stack.url).post('/api/confirmations/resend').send({ email: 'back@example.com' }).expect(202);
    await waitFor(async () => (await emailError('back@example.com')) === 'suppressed: bounce', { what: 'the suppressed failure' });

    await request(stack.url).delete('/api/admin/suppressions/back@example.com').expect(401);
    await request(stack.url).delete('/api/admin/suppressions/BACK@example.com').set(admin).expect(204);
    await request(stack.url).delete('/api/admin/suppressions/back@example.com').set(admin).expect(404);
    expect(await suppressions()).toEqual([]);

    const { body } = await request(stack.url).post('/api/admin/emails/failed/retry').set(admin).expect(200);
    expect(body.retried).toHaveLength(1);
    await sesInbox.waitFor('back@example.com', 2);
    await waitFor(async () => (await emailError('back@example.com')) === null, { what: 'emailError cleared' });
  });

  it('suppresses after SES_SOFT_BOUNCE_LIMIT soft bounces, counting a redelivered one once', async () => {
    await signUp('full@example.com');
    await sesInbox.waitFor('full@example.com');
    const id = await sesMessageId(stack, 'full@example.com');
    const soft = () => sns.notification(ses.bounce('full@example.com', id, 'Transient', 'MailboxFull'));
    const first = soft();
    await postSns(stack, first).expect(200, { status: 'handled' });
    await postSns(stack, first).expect(200, { status: 'duplicate' });
    await postSns(stack, soft()).expect(200);
    expect(await suppressions()).toEqual([]);
    await postSns(stack, soft()).expect(200);
    expect(await suppressions()).toEqual([
      {
        email: 'full@example.com',
        reason: 'bounce',
        detail: '3 soft bounces within 7 days, the last Transient/MailboxFull',
        createdAt: expect.any(String),
      },
    ]);
  });

  it('suppresses a complaint at once, from configuration-set event publishing (eventType)', async () => {
    await signUp('angry@example.com');
    await sesInbox.waitFor('angry@example.com');
    const message = sns.notification(ses.complaint('angry@example.com', await sesMessageId(stack, 'angry@example.com')), { version: '2' });
    await postSns(stack, message).expect(200, { status: 'handled' });
    expect(await suppressions()).toMatchObject([{ email: 'angry@example.com', reason: 'complaint', detail: 'Complaint/abuse' }]);
  });

  it('acknowledges deliveries and other events without changing anything, up to 256 kB', async () => {
    const before = await feedbackCounts(stack);
    const big = { ...ses.delivery('x@example.com', 'm-1'), padding: 'x'.repeat(200 * 1024) };
    await postSns(stack, sns.notification(big)).expect(200, { status: 'ignored' });
    expect({ ...(await feedbackCounts(stack)), messages: before.messages }).toEqual(before);
  });

  describe('bad input: a 4xx, never a 5xx, and nothing changes', () => {
    const valid = () => sns.notification(ses.bounce('victim@example.com', 'm-1', 'Permanent', 'General'));
    const cases: Array<[string, () => Parameters<typeof postSns>[1], number, string?]> = [
      ['malformed JSON', () => '{"Type": "Notification",', 400],
      ['a JSON array', () => '[]', 400],
      [
        'a missing signature',
        () => {
          const { Signature: _, ...rest } = valid();
          return JSON.stringify(rest);
        },
        400,
      ],
      [
        'a forged signature',
        () => sns.notification(ses.bounce('victim@example.com', 'm-1', 'Permanent', 'General'), { forged: true }),
        403,
      ],
      ['a signature over other content', () => ({ ...valid(), Message: JSON.stringify(ses.complaint('victim@example.com', 'm-1')) }), 403],
      ['an unsupported SignatureVersion', () => ({ ...valid(), SignatureVersion: '3' }), 403],
      ['a certificate over http', () => sns.sign({ ...valid(), SigningCertURL: sns.certUrl.replace('https:', 'http:') }), 403],
      ['a certificate on another host', () => sns.sign({ ...valid(), SigningCertURL: 'https://sns.evil.example.com/cert.pem' }), 403],
      [
        'a certificate on SNS in another region than the topic',
        () => sns.sign({ ...valid(), SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-x.pem' }),
        403,
      ],
      ['a certificate that is not a .pem', () => sns.sign({ ...valid(), SigningCertURL: `${sns.base}cert.txt` }), 403],
      ['a certificate the host does not have', () => sns.sign({ ...valid(), SigningCertURL: `${sns.base}missing.pem` }), 403],
      ['a topic not allowed', () => sns.sign({ ...valid(), TopicArn: 'arn:aws:sns:us-east-1:123456789012:other' }), 403],
      ['an unknown SNS type', () => sns.sign({ ...valid(), Type: 'Surprise' }), 400, 'Surprise'],
      ['an unknown SES type', () => sns.notification({ notificationType: 'Teleport', mail: {} }), 400],
      [
        'a bounce without recipients',
        () =>
          sns.notification({
            notificationType: 'Bounce',
            bounce: { bounceType: 'Permanent' },
            mail: { messageId: 'm', timestamp: new Date().toISOString() },
          }),
        400,
      ],
      ['an old message', () => sns.sign({ ...valid(), Timestamp: '2020-01-01T00:00:00.000Z' }), 400],
      ['a body over 256 kB', () => sns.notification({ ...ses.delivery('x@example.com', 'm'), padding: 'x'.repeat(260 * 1024) }), 413],
    ];

    for (const [what, make, status, type] of cases) {
      it(`refuses ${what} with ${status}`, async () => {
        const before = await feedbackCounts(stack);
        const res = await postSns(stack, make(), type);
        expect(res.status).toBe(status);
        expect(res.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.anything() });
        expect(await feedbackCounts(stack)).toEqual(before);
      });
    }

    it('refuses a content type that is not text/plain or JSON with 415', async () => {
      await request(stack.url).post('/webhooks/ses').set('content-type', 'application/xml').send('<x/>').expect(415);
    });

    it('acknowledges a replayed message without acting on it again', async () => {
      await signUp('replayed@example.com');
      await sesInbox.waitFor('replayed@example.com');
      const message = sns.notification(
        ses.bounce('replayed@example.com', await sesMessageId(stack, 'replayed@example.com'), 'Transient', 'General'),
      );
      await postSns(stack, message).expect(200, { status: 'handled' });
      const after = await feedbackCounts(stack);
      await Promise.all([1, 2, 3].map(() => postSns(stack, message).expect(200, { status: 'duplicate' })));
      expect(await feedbackCounts(stack)).toEqual(after);
    });
  });
});

describe('POST /webhooks/ses without SES_SNS_TOPIC_ARNS', () => {
  it('answers 404', async () => {
    const stack = await startStack({ SES_SNS_TOPIC_ARNS: '' }, { worker: false });
    try {
      const res = await request(stack.url).post('/webhooks/ses').set('content-type', 'text/plain').send('{}').expect(404);
      expect(res.body).toMatchObject({ statusCode: 404 });
    } finally {
      await stack.close();
    }
  });
});
