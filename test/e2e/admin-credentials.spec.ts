import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_CONTEXT } from '../../src/common/request-context.js';
import { DatabaseService } from '../../src/database/database.service.js';
import { SendingPauseService } from '../../src/mail/sending-pause.service.js';
import { SuppressionsService } from '../../src/mail/suppressions.service.js';
import { WebhooksService } from '../../src/webhooks/webhooks.service.js';
import { adminAuth, adminToken, adminUsers, csrfFrom } from '../support/api.js';
import { resetFeedback } from '../support/ses-feedback.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { SECRET_A } from '../support/webhook-receiver.js';

/**
 * A browser keeps the HTTP Basic credentials an operator typed for /admin and attaches them to
 * any request to this site, a form posted by another site too. So /api/admin (JSON, no CSRF
 * token) takes the admin token as Bearer only, which no browser adds by itself, and the HTML
 * admin pages, which take Basic, check a CSRF token on every write.
 */
const token = adminToken();
const BASIC = `Basic ${Buffer.from(`operator:${token}`).toString('base64')}`;
const BEARER = `Bearer ${token}`;
const ENDPOINT = 'http://127.0.0.1:9/hooks'; // nothing listens: no worker runs here anyway
const SUPPRESSED = 'bounced@example.com';

interface AdminState {
  pausedAt: Date | null;
  resumedAt: Date | null;
  failedEmails: string[];
  suppressions: string[];
  deliveries: Array<{ id: string; status: string; generation: number }>;
  disabledEndpoints: string[];
  users: string[];
}

/** Everything an admin write changes, as the services that own it report it. */
async function adminState(stack: Stack): Promise<AdminState> {
  const sending = await stack.web.get(SendingPauseService).autoPauseState();
  const failed = (await request(stack.url).get('/api/admin/emails/failed').set(adminAuth()).expect(200)).body;
  const failedDeliveries = await stack.web.get(WebhooksService).list({ status: 'failed' });
  return {
    pausedAt: sending.pausedAt,
    resumedAt: sending.resumedAt,
    failedEmails: failed.map((e: { id: string }) => e.id).sort(),
    suppressions: (await stack.web.get(SuppressionsService).list()).map((s) => s.email).sort(),
    deliveries: failedDeliveries.map(({ id, status, generation }) => ({ id, status, generation })).sort((a, b) => a.id.localeCompare(b.id)),
    disabledEndpoints: (await stack.web.get(WebhooksService).disabledEndpoints()).map((e) => e.url),
    users: (await adminUsers(stack.url)).map((u) => u.email).sort(),
  };
}

/** Something for every admin write to change: a user with a failed email, a suppression, a pause, a failed delivery, a disabled endpoint. */
async function seed(stack: Stack): Promise<{ emailId: string; deliveryId: string; userId: string }> {
  await resetState(stack);
  await resetFeedback(stack);
  await stack.testApi.webhooks.forgetEverything();
  await request(stack.url).post('/api/users').send({ email: 'failed@example.com' }).expect(202);
  const [emailId] = await stack.testApi.mail.failUnsentEmails('MessageRejected: test');
  await stack.web
    .get(DatabaseService)
    .transaction(SYSTEM_CONTEXT, (tx) => stack.web.get(SuppressionsService).suppress(tx, SUPPRESSED, 'bounce', 'test'));
  await stack.web.get(SendingPauseService).pauseAutomatically('test pause');
  const deliveryId = await stack.testApi.webhooks.failedDelivery(ENDPOINT, 'user.registered');
  await stack.testApi.webhooks.disableEndpoint(ENDPOINT, 'HTTP 410');
  const [user] = await adminUsers(stack.url, { email: 'failed@example.com' });
  return { emailId, deliveryId, userId: user.id };
}

/** Every operation under /api/admin, from the OpenAPI document, with its path parameters filled in. */
async function adminApiRoutes(stack: Stack): Promise<Array<{ method: string; path: string }>> {
  const doc = (await request(stack.url).get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/admin'))
    .flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => ({
        method,
        path: path.replace('{id}', '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b').replace('{email}', 'someone@example.com'),
      })),
    );
}

/** The POST/PUT/PATCH/DELETE routes of the Nest controllers under /admin (Bull Board, at /admin/queues, has tests of its own). */
function adminPageWriteRoutes(stack: Stack): string[] {
  const routes: string[] = [];
  for (const module of stack.web.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, metatype));
      if (!/^\/?admin(\/|$)/.test(base)) continue;
      const prototype = metatype.prototype as Record<string, object>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const method = Reflect.getMetadata(METHOD_METADATA, prototype[name]) as RequestMethod | undefined;
        if (method === undefined || method === RequestMethod.GET) continue;
        routes.push(`/${base}/${String(Reflect.getMetadata(PATH_METADATA, prototype[name]))}`.replace(/\/+/g, '/'));
      }
    }
  }
  return routes;
}

describe('admin credentials', () => {
  // No worker: what the writes queue is never sent, so the tables show exactly what they changed.
  let stack: Stack;
  let ids: { emailId: string; deliveryId: string; userId: string };
  beforeAll(
    async () =>
      (stack = await startStack({ WEBHOOK_URLS: ENDPOINT, WEBHOOK_SECRET: SECRET_A, WEBHOOK_EVENTS: 'email.failed' }, { worker: false })),
  );
  afterAll(async () => stack?.close());
  beforeEach(async () => (ids = await seed(stack)));

  describe('Bearer for /api/admin and the operator routes', () => {
    /** What a page on another site can make a browser send: a form post, with the Basic credentials it keeps for this site. */
    const forged = (method: 'post' | 'delete', path: string, form: Record<string, string> = {}) =>
      (method === 'post' ? request(stack.url).post(path) : request(stack.url).delete(path))
        .set('Authorization', BASIC)
        .set('Origin', 'https://evil.example')
        .set('Sec-Fetch-Site', 'cross-site')
        .type('form')
        .send(form);

    it('refuses a cross-site form post with Basic credentials to every admin JSON write, and changes nothing', async () => {
      const before = await adminState(stack);
      const writes = [
        forged('post', '/api/admin/sending/resume'),
        forged('post', '/api/admin/emails/failed/retry'),
        forged('post', `/api/admin/emails/${ids.emailId}/retry`),
        forged('delete', `/api/admin/suppressions/${SUPPRESSED}`),
        forged('post', `/api/admin/webhooks/deliveries/${ids.deliveryId}/retry`),
        forged('post', '/api/admin/webhooks/endpoints/enable', { url: ENDPOINT }),
      ];
      for (const write of writes) {
        const res = await write;
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'admin_bearer_required' });
        expect(res.body.message).toMatch(/Authorization: Bearer/);
        // No login prompt: a browser must not be invited to send Basic here.
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
      expect(await adminState(stack)).toEqual(before);
    });

    it('refuses Basic on every /api/admin route, reads included, even with the right token', async () => {
      const routes = await adminApiRoutes(stack);
      expect(routes.length).toBeGreaterThanOrEqual(9);
      for (const { method, path } of routes) {
        const res = await request(stack.url)[method as 'get'](path).set('Authorization', BASIC);
        expect({ method, path, status: res.status, code: res.body.code }).toEqual({
          method,
          path,
          status: 401,
          code: 'admin_bearer_required',
        });
      }
      // Refused before the token is looked at: a Basic guess is no guess, and counts towards no lockout.
      for (let i = 0; i < 12; i++) await request(stack.url).get('/api/admin/users').auth('operator', `wrong-${i}`).expect(401);
      await request(stack.url).get('/api/admin/users').set('Authorization', BEARER).expect(200);
    });

    it('documents the refusal in the OpenAPI document', async () => {
      const doc = (await request(stack.url).get('/api/docs-json').expect(200)).body;
      const unauthorized = doc.paths['/api/admin/sending/resume'].post.responses['401'];
      const schema = doc.components.schemas[unauthorized.content['application/json'].schema.$ref.split('/').pop()];
      expect(schema.properties.code.enum).toContain('admin_bearer_required');
    });

    it('still takes every admin JSON write with Bearer', async () => {
      const bearer = (req: request.Test) => req.set('Authorization', BEARER);
      await bearer(request(stack.url).post(`/api/admin/emails/${ids.emailId}/retry`)).expect(200, { retried: [ids.emailId] });
      await stack.testApi.mail.failUnsentEmails('MessageRejected: test');
      await bearer(request(stack.url).post('/api/admin/emails/failed/retry')).expect(200, { retried: [ids.emailId] });
      await bearer(request(stack.url).post('/api/admin/sending/resume')).expect(204);
      await bearer(request(stack.url).delete(`/api/admin/suppressions/${SUPPRESSED}`)).expect(204);
      await bearer(request(stack.url).post(`/api/admin/webhooks/deliveries/${ids.deliveryId}/retry`)).expect(202);
      await bearer(request(stack.url).post('/api/admin/webhooks/endpoints/enable')).send({ url: ENDPOINT }).expect(204);
      const after = await adminState(stack);
      expect(after).toMatchObject({ pausedAt: null, failedEmails: [], suppressions: [], deliveries: [], disabledEndpoints: [] });
      expect(after.resumedAt).toBeInstanceOf(Date);
    });

    it('takes the admin token as Bearer only for /metrics and health details', async () => {
      const metrics = await request(stack.url).get('/metrics').set('Authorization', BASIC).expect(401);
      expect(metrics.body.code).toBe('admin_bearer_required');
      expect(metrics.text).not.toContain('signup_registrations_total');
      await request(stack.url).get('/metrics').set('Authorization', BEARER).expect(200);
      const basic = await request(stack.url).get('/health').set('Authorization', BASIC).expect(200);
      expect(basic.body.details.redis).toEqual({ status: 'up' }); // the public answer
      const bearer = await request(stack.url).get('/health').set('Authorization', BEARER).expect(200);
      expect(bearer.body.details.redis).toEqual({ status: 'up', waiting: expect.any(Number) });
    });

    it('gives the missing or wrong token a code of its own', async () => {
      const missing = await request(stack.url).get('/api/admin/users').expect(401);
      expect(missing.body).toMatchObject({ statusCode: 401, code: 'admin_token_required' });
      expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
      const wrong = await request(stack.url).get('/api/admin/users').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
      expect(wrong.body.code).toBe('admin_token_required');
    });
  });

  describe('Basic for the HTML admin pages, and a CSRF token on every form', () => {
    const PAGES = ['/admin/users', '/admin/suppressions', '/admin/webhooks'];
    const writes = () => [
      { page: '/admin/users', action: `/admin/emails/${ids.emailId}/retry`, form: {} },
      { page: '/admin/users', action: '/admin/emails/failed/retry', form: {} },
      { page: '/admin/users', action: `/admin/users/${ids.userId}/resend`, form: {} },
      { page: '/admin/users', action: `/admin/users/${ids.userId}/delete`, form: {} },
      { page: '/admin/suppressions', action: '/admin/sending/resume', form: {} },
      { page: '/admin/suppressions', action: '/admin/suppressions/lift', form: { email: SUPPRESSED } },
      { page: '/admin/webhooks', action: `/admin/webhooks/deliveries/${ids.deliveryId}/retry`, form: {} },
      { page: '/admin/webhooks', action: '/admin/webhooks/endpoints/enable', form: { url: ENDPOINT } },
    ];

    it('tests every write route of the admin pages', () => {
      const tested = writes().map((w) => w.action.replace(ids.emailId, ':id').replace(ids.deliveryId, ':id').replace(ids.userId, ':id'));
      expect(adminPageWriteRoutes(stack).sort()).toEqual(tested.sort());
    });

    it('opens every admin page with Basic, each write button in a form with a CSRF token', async () => {
      for (const page of PAGES) {
        const res = await request(stack.url).get(page).set('Authorization', BASIC).expect(200);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        const forms = res.text.match(/<form method="post"[\s\S]*?<\/form>/g) ?? [];
        for (const form of forms) expect(form).toMatch(/name="_csrf" value="[^"]+"/);
      }
      const actions = writes().map((w) => w.action);
      const shown = await Promise.all(PAGES.map(async (page) => (await request(stack.url).get(page).set('Authorization', BASIC)).text));
      for (const action of actions) expect(shown.join('\n')).toContain(`action="${action}"`);
    });

    it('refuses every admin form post without its CSRF token, even with Basic and from this site, and changes nothing', async () => {
      const before = await adminState(stack);
      for (const { action, form } of writes()) {
        const res = await request(stack.url).post(action).set('Authorization', BASIC).set('Origin', stack.url).type('form').send(form);
        expect({ action, status: res.status }).toEqual({ action, status: 403 });
        expect(res.text).toContain('did not come from this site');
      }
      expect(await adminState(stack)).toEqual(before);
    });

    it('does each write with the token of the page that showed the form', async () => {
      const browser = request.agent(stack.url).set('Authorization', BASIC);
      const tokens = new Map<string, string>();
      for (const page of PAGES) tokens.set(page, csrfFrom((await browser.get(page).expect(200)).text));
      for (const { page, action, form } of writes()) {
        const res = await browser
          .post(action)
          .type('form')
          .send({ ...form, _csrf: tokens.get(page) });
        expect({ action, status: res.status, location: res.headers.location }).toEqual({ action, status: 303, location: page });
      }
      const after = await adminState(stack);
      expect(after).toMatchObject({ pausedAt: null, failedEmails: [], suppressions: [], deliveries: [], disabledEndpoints: [], users: [] });
    });
  });
});
