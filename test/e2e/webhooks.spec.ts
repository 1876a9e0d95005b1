import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DatabaseService } from '../../src/database/database.service.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { UserDeleted } from '../../src/users/users.facts.js';
import { SYSTEM_CONTEXT } from '../../src/common/request-context.js';
import { bearer, confirmedAccount, GOOD_PASSWORD, latestEmail, pathToken, signIn } from '../support/accounts.js';
import { sample } from '../support/metrics.js';
import { runServices } from '../support/processes.js';
import { REJECTED, startSesFaultProxy } from '../support/ses-fault-proxy.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';
import { waitUntilWebhooksIdle } from '../support/webhooks-idle.js';
import { SECRET_A, SECRET_B, webhookReceiver, type Received, type WebhookReceiver } from '../support/webhook-receiver.js';

const admin = { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` };
// Twenty retries 0.2 s apart: a test's outage is over long before a delivery would give up.
const SCHEDULE = Array(20).fill('0.2').join(',');
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

async function clearWebhooks(stack: Stack, receiver: WebhookReceiver): Promise<void> {
  await resetState(stack);
  await stack.testApi.webhooks.forgetEverything();
  receiver.received.length = 0;
  receiver.rejected.length = 0;
  receiver.setAnswer(() => ({ status: 204 }));
}

const userNamed = async (stack: Stack, email: string) =>
  (await request(stack.url).get('/api/admin/users').query({ email }).set(admin).expect(200)).body[0] as { id: string } | undefined;

const deliveries = async (stack: Stack, query: Record<string, string> = {}) =>
  (await request(stack.url).get('/api/admin/webhooks/deliveries').query(query).set(admin).expect(200)).body as Array<{
    id: string;
    type: string;
    endpoint: string;
    status: string;
    attempts: number;
    lastError: string | null;
    createdAt: string;
    deliveredAt: string | null;
  }>;

/** Accepted requests of one type about one user. */
const deliveredAbout = (receiver: WebhookReceiver, type: string, userId: string): Received[] =>
  receiver.delivered().filter((r) => r.payload.type === type && r.payload.data.userId === userId);

describe('webhooks', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let ses: Awaited<ReturnType<typeof startSesFaultProxy>>;

  beforeAll(async () => {
    receiver = await webhookReceiver([SECRET_A, SECRET_B]);
    ses = await startSesFaultProxy((to) => (to.startsWith('rejected.') ? REJECTED : null));
    stack = await startStack({
      WEBHOOK_URLS: receiver.url,
      WEBHOOK_SECRET: `${SECRET_A} ${SECRET_B}`,
      WEBHOOK_RETRY_SCHEDULE: SCHEDULE,
      AWS_ENDPOINT_URL_SES: ses.url,
    });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
    await ses?.close();
  });
  beforeEach(async () => clearWebhooks(stack, receiver));
  afterEach(() => {
    // Every request the service sent verified with both secrets.
    expect(receiver.rejected).toEqual([]);
  });

  it('sends every event type exactly once per change, with the documented payload, signed with each secret', async () => {
    const startedAt = Date.now();
    await request(stack.url).post('/api/users').send({ email: 'hooked@example.com' }).expect(202);
    await request(stack.url).post('/api/users').send({ email: 'hooked@example.com' }).expect(202); // a known address: no event
    const user = await waitFor(() => userNamed(stack, 'hooked@example.com'), { what: 'the user' });
    const token = linkToken((await sesInbox.waitFor('hooked@example.com'))[0]);
    const confirm = () => request(stack.url).post('/api/confirmations').send({ token });
    // Concurrent confirmations: one wins, one event.
    expect((await Promise.all([confirm(), confirm(), confirm()])).map((r) => r.body.status).sort()).toEqual([
      'already_confirmed',
      'already_confirmed',
      'confirmed',
    ]);
    await request(stack.url).post('/api/users').send({ email: 'rejected.hook@example.com' }).expect(202);
    const rejected = await waitFor(() => userNamed(stack, 'rejected.hook@example.com'), { what: 'the rejected user' });

    await waitFor(() => deliveredAbout(receiver, 'email.failed', rejected.id).length > 0, { what: 'email.failed' });
    await waitFor(() => deliveredAbout(receiver, 'user.confirmed', user.id).length > 0, { what: 'user.confirmed' });
    await waitUntilWebhooksIdle(stack); // anything sent twice has arrived by now

    const about = (type: string, id: string) => deliveredAbout(receiver, type, id).map((r) => r.payload);
    expect(about('user.registered', user.id)).toEqual([
      {
        type: 'user.registered',
        timestamp: expect.stringMatching(ISO),
        data: { userId: user.id, email: 'hooked@example.com', locale: 'en' },
      },
    ]);
    expect(about('user.confirmed', user.id)).toEqual([
      {
        type: 'user.confirmed',
        timestamp: expect.stringMatching(ISO),
        data: { userId: user.id, email: 'hooked@example.com', locale: 'en' },
      },
    ]);
    expect(about('user.registered', rejected.id)).toHaveLength(1);
    expect(about('email.failed', rejected.id)).toEqual([
      {
        type: 'email.failed',
        timestamp: expect.stringMatching(ISO),
        data: {
          userId: rejected.id,
          email: 'rejected.hook@example.com',
          locale: 'en',
          kind: 'confirmation',
          reason: expect.stringMatching(/^MessageRejected/),
        },
      },
    ]);
    expect(receiver.received).toHaveLength(4); // nothing else, nothing twice
    for (const r of receiver.received) {
      expect(Date.parse(r.payload.timestamp)).toBeGreaterThanOrEqual(startedAt - 1000);
      expect(r.body).not.toContain(token);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.signatures).toHaveLength(2);
    }
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(4);
    // The webhook-id is the delivery's id, as the admin API lists it.
    expect((await deliveries(stack)).map((d) => d.id).sort()).toEqual(receiver.received.map((r) => r.id).sort());

    const metrics = await stack.worker!.get(MetricsService).registry.metrics();
    expect(sample(metrics, 'signup_webhook_deliveries_total{type="user.registered",outcome="sent"}')).toBeGreaterThanOrEqual(2);
    expect(sample(metrics, 'signup_webhook_deliveries_total{type="email.failed",outcome="sent"}')).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'signup_webhook_attempt_duration_seconds_count{type="user.confirmed",outcome="sent"}')).toBeGreaterThanOrEqual(
      1,
    );
    expect(metrics).toContain('signup_webhook_oldest_pending_seconds');
  });

  it('sends user.password_changed, user.email_changed and user.deleted as an account changes, each once', async () => {
    await confirmedAccount(stack, 'changing@example.com');
    const user = await waitFor(() => userNamed(stack, 'changing@example.com'), { what: 'the user' });
    const session = await signIn(stack, 'changing@example.com');
    const api = () => request(stack.url);
    await api()
      .put('/api/me/password')
      .set(bearer(session))
      .send({ currentPassword: GOOD_PASSWORD, newPassword: 'another long passphrase 42' })
      .expect(204);
    await api()
      .post('/api/me/email-changes')
      .set(bearer(session))
      .send({ email: 'changed@example.com', password: 'another long passphrase 42' })
      .expect(202);
    const link = pathToken(await latestEmail('changed@example.com', /Confirm your new email address/), 'email-change');
    await api().post('/api/email-changes/confirm').send({ token: link }).expect(200, { email: 'changed@example.com' });
    await api().delete('/api/me').set(bearer(session)).send({ password: 'another long passphrase 42' }).expect(204);

    await waitFor(() => deliveredAbout(receiver, 'user.deleted', user.id).length > 0, { what: 'user.deleted' });
    await waitUntilWebhooksIdle(stack); // anything sent twice has arrived by now
    const about = (type: string) => deliveredAbout(receiver, type, user.id).map((r) => r.payload.data);
    expect(about('user.password_changed')).toEqual([{ userId: user.id, email: 'changing@example.com', locale: 'en', how: 'change' }]);
    expect(about('user.email_changed')).toEqual([
      { userId: user.id, email: 'changed@example.com', locale: 'en', previousEmail: 'changing@example.com' },
    ]);
    expect(about('user.deleted')).toEqual([{ userId: user.id, email: 'changed@example.com', locale: 'en', reason: 'account-deleted' }]);
    for (const r of receiver.received) expect(r.body).not.toMatch(/passphrase|correct horse/);
  });

  it("lets the receiver's verifier refuse a tampered body, a stale timestamp and a secret it never got", async () => {
    await request(stack.url).post('/api/users').send({ email: 'verify@example.com' }).expect(202);
    const [r] = await waitFor(() => (receiver.delivered().length > 0 ? receiver.delivered() : null), { what: 'one delivery' });
    const headers = r.headers as Record<string, string>;
    for (const secret of [SECRET_A, SECRET_B]) expect(new Webhook(secret).verify(r.body, headers)).toEqual(r.payload);
    expect(() => new Webhook(SECRET_A).verify(r.body.replace('verify@', 'attacker@'), headers)).toThrow(/No matching signature/);
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 'c').toString('base64')}`).verify(r.body, headers)).toThrow(/No matching signature/);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 6 * 60_000 });
    try {
      expect(() => new Webhook(SECRET_A).verify(r.body, headers)).toThrow(/too old/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends nothing for a change that rolled back', async () => {
    const db = stack.web.get(DatabaseService);
    await expect(
      db.transaction(SYSTEM_CONTEXT, async (tx) => {
        await tx.record(
          new UserDeleted({ userId: randomUUID(), email: 'rolled-back@example.com', locale: 'en', reason: 'account-deleted' }),
        );
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await request(stack.url).post('/api/users').send({ email: 'not an address' }).expect(400);
    await waitUntilWebhooksIdle(stack);
    expect(await deliveries(stack)).toEqual([]);
    expect(receiver.received).toEqual([]);
  });

  it(
    'delivers everything once a receiver that refused connections, then failed, then throttled recovers',
    { timeout: 60_000 },
    async () => {
      await receiver.down();
      const emails = ['down1@example.com', 'down2@example.com', 'down3@example.com'];
      for (const email of emails) await request(stack.url).post('/api/users').send({ email }).expect(202);
      await waitFor(async () => (await deliveries(stack)).filter((d) => /ECONNREFUSED/.test(d.lastError ?? '')).length === 3, {
        what: 'three connection-refused attempts',
      });

      // Back up: each delivery gets two 500s, then one 429 asking for 2 s, then 204.
      const seen = new Map<string, number>();
      receiver.setAnswer((r) => {
        const n = (seen.get(r.id) ?? 0) + 1;
        seen.set(r.id, n);
        if (n <= 2) return { status: 500, body: 'x'.repeat(5000) };
        if (n === 3) return { status: 429, headers: { 'retry-after': '2' } };
        return { status: 204 };
      });
      await receiver.up();
      await waitFor(() => receiver.delivered().length === 3, { timeoutMs: 30_000, what: 'all three deliveries' });

      const ids = receiver.delivered().map((r) => r.id);
      expect(
        receiver
          .delivered()
          .map((r) => r.payload.data.email)
          .sort(),
      ).toEqual(emails);
      for (const id of ids) {
        const attempts = receiver.received.filter((r) => r.id === id);
        expect(attempts.map((r) => r.status)).toEqual([500, 500, 429, 204]);
        // Retry-After (2 s) wins over the schedule's 0.2 s.
        expect(attempts[3].at - attempts[2].at).toBeGreaterThanOrEqual(1900);
      }
      // The worker records a delivery as sent after the receiver's 204 has reached it.
      const rows = await waitFor(
        async () => {
          const sent = await deliveries(stack, { status: 'sent' });
          return sent.length === 3 ? sent : null;
        },
        { what: 'three deliveries recorded as sent' },
      );
      for (const row of rows) {
        expect(row.attempts).toBeGreaterThanOrEqual(5); // at least one refused connection, 500, 500, 429, 204
        expect(row.deliveredAt).not.toBeNull();
      }
    },
  );

  it('gives a delivery up at once on a 4xx other than 410 and 429', async () => {
    receiver.setAnswer((r) => (r.payload.data.email === 'teapot@example.com' ? { status: 418, body: "I'm a teapot" } : { status: 204 }));
    await request(stack.url).post('/api/users').send({ email: 'teapot@example.com' }).expect(202);
    const [failed] = await waitFor(
      async () => {
        const rows = await deliveries(stack, { status: 'failed' });
        return rows.length > 0 ? rows : null;
      },
      { what: 'the failed delivery' },
    );
    expect(failed).toMatchObject({ type: 'user.registered', endpoint: receiver.url, attempts: 1, lastError: "HTTP 418: I'm a teapot" });
    await waitUntilWebhooksIdle(stack);
    expect(receiver.received).toHaveLength(1);
  });

  it(
    'disables an endpoint that answers 410, holds its deliveries, and sends them once an admin re-enables it',
    { timeout: 30_000 },
    async () => {
      receiver.setAnswer(() => ({ status: 410 }));
      await request(stack.url).post('/api/users').send({ email: 'gone1@example.com' }).expect(202);
      await waitFor(async () => (await deliveries(stack)).some((d) => d.lastError?.startsWith('HTTP 410')), { what: 'the 410' });
      const first = receiver.received[0].id;
      await request(stack.url).post('/api/users').send({ email: 'gone2@example.com' }).expect(202);
      await waitUntilWebhooksIdle(stack);
      expect(receiver.received).toHaveLength(1); // the second is held, not sent
      const held = await deliveries(stack, { status: 'pending' });
      expect(held.map((d) => d.type)).toEqual(['user.registered', 'user.registered']);

      const page = await request(stack.url).get('/admin/webhooks').set(admin).expect(200);
      expect(page.text).toContain('Disabled endpoints');
      expect(page.text).toContain(receiver.url);

      receiver.setAnswer(() => ({ status: 204 }));
      await request(stack.url).post('/api/admin/webhooks/endpoints/enable').set(admin).send({ url: receiver.url }).expect(204);
      await waitFor(() => receiver.delivered().length === 2, { what: 'the held deliveries' });
      expect(
        receiver
          .delivered()
          .map((r) => r.payload.data.email)
          .sort(),
      ).toEqual(['gone1@example.com', 'gone2@example.com']);
      expect(receiver.delivered().some((r) => r.id === first)).toBe(true); // the same webhook-id as the refused attempt
      expect(await deliveries(stack, { status: 'pending' })).toEqual([]);
    },
  );

  it('serves the admin API: filters, retry, enable, and refusals', async () => {
    await request(stack.url).post('/api/users').send({ email: 'admin-api@example.com' }).expect(202);
    const [sent] = await waitFor(
      async () => {
        const rows = await deliveries(stack, { status: 'sent', type: 'user.registered' });
        return rows.length > 0 ? rows : null;
      },
      { what: 'a sent delivery' },
    );
    expect(sent).toEqual({
      id: expect.any(String),
      type: 'user.registered',
      endpoint: receiver.url,
      status: 'sent',
      attempts: 1,
      lastError: null,
      createdAt: expect.stringMatching(ISO),
      deliveredAt: expect.stringMatching(ISO),
    });
    expect(await deliveries(stack, { status: 'failed' })).toEqual([]);
    expect(await deliveries(stack, { type: 'user.confirmed' })).toEqual([]);

    // A retry sends it again, with the same webhook-id.
    await request(stack.url).post(`/api/admin/webhooks/deliveries/${sent.id}/retry`).set(admin).expect(202);
    await waitFor(() => receiver.received.filter((r) => r.id === sent.id).length === 2, { what: 'the resend' });
    await waitFor(async () => (await deliveries(stack, { status: 'sent' })).length === 1, { what: 'sent again' });

    await request(stack.url).get('/api/admin/webhooks/deliveries').expect(401);
    await request(stack.url).post(`/api/admin/webhooks/deliveries/${sent.id}/retry`).expect(401);
    await request(stack.url).post('/api/admin/webhooks/endpoints/enable').send({ url: receiver.url }).expect(401);
    await request(stack.url).get('/api/admin/webhooks/deliveries').query({ status: 'lost' }).set(admin).expect(400);
    await request(stack.url).get('/api/admin/webhooks/deliveries').query({ type: 'user.exploded' }).set(admin).expect(400);
    await request(stack.url).post('/api/admin/webhooks/deliveries/not-a-uuid/retry').set(admin).expect(400);
    await request(stack.url).post(`/api/admin/webhooks/deliveries/${randomUUID()}/retry`).set(admin).expect(404);
    await request(stack.url)
      .post('/api/admin/webhooks/endpoints/enable')
      .set(admin)
      .send({ url: 'https://elsewhere.example/hooks' })
      .expect(404);
    await request(stack.url).post('/api/admin/webhooks/endpoints/enable').set(admin).send({}).expect(400);
    await request(stack.url).post('/api/admin/webhooks/endpoints/enable').set(admin).send({ url: receiver.url }).expect(204);

    const page = await request(stack.url).get('/admin/webhooks').query({ status: 'sent', type: '' }).set(admin).expect(200);
    expect(page.text).toContain(sent.id);
    await request(stack.url).get('/admin/webhooks').expect(401);

    const docs = (await request(stack.url).get('/api/docs-json').expect(200)).body;
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining([
        '/api/admin/webhooks/deliveries',
        '/api/admin/webhooks/deliveries/{id}/retry',
        '/api/admin/webhooks/endpoints/enable',
      ]),
    );
    // The registered event types are the document's enum, where a client filters or reads them.
    const types = [
      'user.registered',
      'user.confirmed',
      'user.deleted',
      'user.password_changed',
      'user.email_changed',
      'email.failed',
      'email.suppressed',
    ];
    expect(docs.components.schemas.WebhookDeliveryDto.properties.type.enum).toEqual(expect.arrayContaining(types));
    const typeFilter = docs.paths['/api/admin/webhooks/deliveries'].get.parameters.find((p: { name: string }) => p.name === 'type');
    expect(typeFilter.schema.enum).toHaveLength(types.length);
    expect(docs.components.schemas.FailedEmailDto.properties.kind.enum).toContain('confirmation');
  });
});

describe('webhooks: a short retry schedule, and the retention sweep', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await webhookReceiver([SECRET_A]);
    // 0.00003 days is 2.6 s: old enough to be deleted within a test.
    stack = await startStack({
      WEBHOOK_URLS: receiver.url,
      WEBHOOK_SECRET: SECRET_A,
      UNCONFIRMED_RETENTION_DAYS: '0.00003',
      WEBHOOK_RETRY_SCHEDULE: '0.1,0.1',
    });
    await clearWebhooks(stack, receiver);
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('gives a delivery up after the last scheduled retry', async () => {
    receiver.setAnswer((r) => (r.payload.data.email === 'always-down@example.com' ? { status: 503 } : { status: 204 }));
    await request(stack.url).post('/api/users').send({ email: 'always-down@example.com' }).expect(202);
    const [failed] = await waitFor(
      async () => {
        const rows = await deliveries(stack, { status: 'failed' });
        return rows.length > 0 ? rows : null;
      },
      { what: 'the delivery to give up' },
    );
    expect(failed).toMatchObject({ attempts: 3, lastError: 'HTTP 503 (gave up after 3 attempts)', deliveredAt: null });
    await waitUntilWebhooksIdle(stack);
    expect(receiver.received.filter((r) => r.payload.data.email === 'always-down@example.com').map((r) => r.status)).toEqual([
      503, 503, 503,
    ]);
  });

  it('sends user.deleted with reason never-confirmed, once, and keeps the event after the user is gone', async () => {
    await request(stack.url).post('/api/users').send({ email: 'abandoned-hook@example.com' }).expect(202);
    const user = await waitFor(() => userNamed(stack, 'abandoned-hook@example.com'), { what: 'the sign-up' });
    const deleted = await waitFor(
      () => {
        const found = deliveredAbout(receiver, 'user.deleted', user.id);
        return found.length > 0 ? found : null;
      },
      {
        timeoutMs: 20_000,
        what: 'user.deleted',
      },
    );
    expect(await userNamed(stack, 'abandoned-hook@example.com')).toBeUndefined();
    await waitUntilWebhooksIdle(stack);
    expect(deliveredAbout(receiver, 'user.deleted', user.id)).toHaveLength(1);
    expect(deleted[0].payload).toEqual({
      type: 'user.deleted',
      timestamp: expect.stringMatching(ISO),
      data: { userId: user.id, email: 'abandoned-hook@example.com', locale: 'en', reason: 'never-confirmed' },
    });
    expect(receiver.rejected).toEqual([]);
  });
});

describe('webhook log lines (real web and worker processes from dist/)', () => {
  let receiver: WebhookReceiver;
  let services: Awaited<ReturnType<typeof runServices>>;
  let endpoint: string;

  beforeAll(async () => {
    receiver = await webhookReceiver([SECRET_A]);
    // Many receivers authenticate with a token in the URL: it must not reach a log.
    endpoint = `${receiver.url}/s3cr3t-path?key=s3cr3t-query`;
    services = await runServices({ WEBHOOK_URLS: endpoint, WEBHOOK_SECRET: SECRET_A, LOG_LEVEL: 'log', LOG_FORMAT: 'json' });
  });
  afterAll(async () => {
    await services?.stop();
    await receiver?.close();
  });

  it('name the endpoint by scheme, host and port only, whether delivered, failed or disabled', async () => {
    const shown = `${new URL(endpoint).origin}/…`;
    // One after the other: once the 410 has disabled the endpoint, nothing more is attempted.
    const cases = [
      { email: 'log.sent@example.com', status: 204, line: `Webhook user.registered delivered to ${shown}` },
      { email: 'log.failed@example.com', status: 400, line: `Webhook user.registered to ${shown} failed for good` },
      { email: 'log.gone@example.com', status: 410, line: `Webhook endpoint ${shown} answered 410` },
    ];
    for (const { email, status, line } of cases) {
      receiver.setAnswer(() => ({ status }));
      await request(services.url).post('/api/users').send({ email }).expect(202);
      await waitFor(() => services.worker.output().includes(line), { what: `the worker line "${line}"` });
    }
    // The admin still sees the whole URL it configured.
    const listed = await request(services.url).get('/api/admin/webhooks/deliveries').set(admin).expect(200);
    expect(listed.body.map((d: { endpoint: string }) => d.endpoint)).toContain(endpoint);
    for (const output of [services.worker.output(), services.web.output()]) expect(output).not.toContain('s3cr3t');
  });
});
