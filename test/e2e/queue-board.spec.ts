import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const token = process.env.ADMIN_TOKEN!;

describe('Bull Board at /admin/queues', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({}, { worker: false })));
  afterAll(async () => stack?.close());

  it('asks for the admin token, like /admin/users', async () => {
    const denied = await request(stack.url).get('/admin/queues').expect(401);
    expect(denied.headers['www-authenticate']).toMatch(/^Basic/);
    await request(stack.url).get('/admin/queues').auth('admin', 'wrong-token-0123456789').expect(401);
    await request(stack.url).get('/admin/queues/api/queues').expect(401);
  });

  it('serves the dashboard and its API to the admin, with a CSP relaxed for its styles only', async () => {
    const page = await request(stack.url).get('/admin/queues').auth('admin', token).expect(200);
    expect(page.text).toContain('<base href="/admin/queues/"');
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self';");

    const api = await request(stack.url).get('/admin/queues/api/queues').set('Authorization', `Bearer ${token}`).expect(200);
    expect(api.body.queues.map((q: { name: string }) => q.name)).toEqual(['mail']);

    const home = await request(stack.url).get('/').expect(200);
    expect(home.headers['content-security-policy']).toContain("style-src 'self'");
    expect(home.headers['content-security-policy']).not.toContain('unsafe-inline');
  });
});

describe('Bull Board with admin disabled', () => {
  it('refuses everyone when ADMIN_TOKEN is unset', async () => {
    const stack = await startStack({ ADMIN_TOKEN: '' }, { worker: false });
    try {
      await request(stack.url).get('/admin/queues').auth('admin', 'anything-at-all-123').expect(401);
    } finally {
      await stack.close();
    }
  });
});
