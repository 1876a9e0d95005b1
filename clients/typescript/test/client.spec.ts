import { Ajv } from 'ajv';
import { readFile } from 'node:fs/promises';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, latestEmail } from '../../../test/support/accounts.js';
import { linkToken } from '../../../test/support/ses-inbox.js';
import { startStack, type Stack } from '../../../test/support/stack.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { SECRET_A, webhookReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.js';
import { generateSchema, SCHEMA_FILE } from '../scripts/generate.mjs';
import {
  ApiError,
  createSignupClient,
  RateLimitedError,
  verifyWebhook,
  WebhookVerificationError,
  type WebhookEvent,
} from '../src/index.js';

type Document = { webhooks: Record<string, { post: { requestBody: { content: { 'application/json': { schema: object } } } } }> };

describe('the TypeScript client, against the running service', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let document: Document;

  beforeAll(async () => {
    receiver = await webhookReceiver([SECRET_A]);
    stack = await startStack({ WEBHOOK_URLS: receiver.url, WEBHOOK_SECRET: SECRET_A });
    document = (await request(stack.url).get('/api/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('is generated from the document this service serves (run `npm run client:generate` after changing a route)', async () => {
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    expect(await generateSchema(document)).toBe(committed);
  });

  it('signs up, confirms with a password, signs in, reads /api/me and signs out, typed end to end', async () => {
    const client = createSignupClient({ baseUrl: stack.url });
    const email = 'client@example.com';
    const registered = await client.api.POST('/api/users', { body: { email } });
    expect(registered.response.status).toBe(202);
    const token = linkToken(await latestEmail(email, /^Confirm your email address$/));
    const confirmed = await client.api.POST('/api/confirmations', { body: { token, password: GOOD_PASSWORD } });
    expect(confirmed.data).toEqual({ status: 'confirmed', email });

    const wrong = await client.api.POST('/api/sessions', { body: { email, password: 'not the password at all' } });
    expect(wrong.response.status).toBe(401);
    expect(wrong.error).toMatchObject({ code: 'sign_in_failed' });

    const session = await client.signIn(email, { password: GOOD_PASSWORD });
    expect(client.sessionToken).toBe(session.token);
    const me = await client.api.GET('/api/me');
    expect(me.data).toMatchObject({ email, confirmed: true, hasPassword: true });

    await client.signOut();
    expect(client.sessionToken).toBeNull();
    const after = createSignupClient({ baseUrl: stack.url, sessionToken: session.token });
    expect((await after.api.GET('/api/me')).response.status).toBe(401);
  });

  it('throws ApiError with the code from its helpers, and RateLimitedError with Retry-After on a 429', async () => {
    const client = createSignupClient({ baseUrl: stack.url });
    const email = 'throttled@example.com';
    const failures = [];
    for (let i = 0; i < 5; i++) failures.push(await client.signIn(email, { password: `wrong password ${i}` }).catch((e: unknown) => e));
    expect(failures.every((e) => e instanceof ApiError && e.status === 401 && e.code === 'sign_in_failed')).toBe(true);
    const limited = await client.signIn(email, { password: 'wrong password 5' }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    expect((limited as RateLimitedError).code).toBe('too_many_attempts');
  });

  it('sends the admin token only to /api/admin routes', async () => {
    const client = createSignupClient({ baseUrl: stack.url, adminToken: process.env.ADMIN_TOKEN });
    const users = await client.api.GET('/api/admin/users', { params: { query: { email: 'client@example.com', limit: 10 } } });
    expect(users.data?.map((u) => u.email)).toEqual(['client@example.com']);
    expect((await client.api.GET('/api/me')).response.status).toBe(401);
  });

  it('verifies real deliveries with the endpoint secret, typed by event, each matching its schema in the document', async () => {
    await waitFor(async () => (receiver.delivered().some((r) => r.payload.type === 'user.confirmed') ? true : null), {
      timeoutMs: 15_000,
      what: 'a user.confirmed delivery',
    });
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const seen = new Set<string>();
    for (const delivery of receiver.delivered()) {
      const event: WebhookEvent = verifyWebhook(SECRET_A, delivery.body, delivery.headers);
      seen.add(event.type);
      const schema = document.webhooks[event.type].post.requestBody.content['application/json'].schema;
      expect(ajv.validate(schema, event), `${event.type}: ${ajv.errorsText()}`).toBe(true);
      if (event.type === 'user.password_changed') expect(['set', 'change', 'reset']).toContain(event.data.how);
    }
    expect([...seen]).toEqual(expect.arrayContaining(['user.registered', 'user.confirmed']));

    const [first] = receiver.delivered();
    const tampered = first.body.replace('@example.com', '@evil.example');
    expect(() => verifyWebhook(SECRET_A, tampered, first.headers as Record<string, string>)).toThrow(WebhookVerificationError);
    const otherSecret = `whsec_${Buffer.alloc(32, 'z').toString('base64')}`;
    expect(() => verifyWebhook(otherSecret, first.body, first.headers as Record<string, string>)).toThrow(WebhookVerificationError);
  });
});
