import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken } from '../support/api.js';
import { runDist } from '../support/processes.js';
import { startStack, type Stack } from '../support/stack.js';

const token = adminToken();

describe('admin, health and OpenAPI', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({}, { worker: false });
    for (const email of ['one@example.com', 'two@example.com']) {
      await request(stack.url).post('/api/users').send({ email }).expect(202);
    }
  });
  afterAll(async () => stack?.close());

  it('lists users for the admin token only', async () => {
    await request(stack.url).get('/api/admin/users').expect(401);
    const wrong = await request(stack.url).get('/api/admin/users').set('Authorization', 'Bearer nope').expect(401);
    expect(wrong.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });

    const res = await request(stack.url).get('/api/admin/users').set('Authorization', `Bearer ${token}`).expect(200);
    // Newest first.
    expect(res.body.map((u: { email: string }) => u.email)).toEqual(['two@example.com', 'one@example.com']);
    expect(Object.keys(res.body[0]).sort()).toEqual(
      ['confirmed', 'confirmedAt', 'createdAt', 'email', 'emailError', 'emailSent', 'emailSentAt', 'id'].sort(),
    );
    const filtered = await request(stack.url).get('/api/admin/users?email=ONE@example.com').set('Authorization', `Bearer ${token}`);
    expect(filtered.body.map((u: { email: string }) => u.email)).toEqual(['one@example.com']);
    // The admin page's filter form sends an empty box as `email=`: every user.
    const unfiltered = await request(stack.url).get('/api/admin/users?email=').set('Authorization', `Bearer ${token}`).expect(200);
    expect(unfiltered.body).toHaveLength(2);
    const page = await request(stack.url).get('/admin/users?email=').auth('admin', token).expect(200);
    expect(page.text).toContain('<td>two@example.com</td>');
    await request(stack.url).get('/api/admin/users?limit=0').set('Authorization', `Bearer ${token}`).expect(400);
  });

  it('opens the HTML users table with HTTP Basic (token as password), and asks a browser for it otherwise', async () => {
    const denied = await request(stack.url).get('/admin/users').expect(401);
    expect(denied.headers['www-authenticate']).toMatch(/^Basic/);
    const page = await request(stack.url).get('/admin/users').auth('admin', token).expect(200);
    expect(page.text).toContain('<td>one@example.com</td>');
    await request(stack.url).get('/admin/users').auth('admin', 'wrong').expect(401);
    await request(stack.url).get('/admin/users').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('keeps the user list off the public pages', async () => {
    const home = await request(stack.url).get('/').expect(200);
    expect(home.text).not.toContain('one@example.com');
  });

  it('reports PostgreSQL and Redis in /health', async () => {
    const res = await request(stack.url).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('serves an OpenAPI document generated from the DTOs, and Swagger UI', async () => {
    const doc = (await request(stack.url).get('/api/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/users', '/api/confirmations', '/api/confirmations/resend', '/api/admin/users']),
    );
    expect(doc.paths['/api/users'].post.responses).toHaveProperty('202');
    expect(doc.components.schemas.EmailDto.required).toEqual(['email']);
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/confirm/'))).toBe(false);
    expect((await request(stack.url).get('/api/docs').expect(200)).text).toContain('swagger');
  });
});

describe('admin disabled', () => {
  it('refuses every token when ADMIN_TOKEN is unset', async () => {
    const stack = await startStack({ ADMIN_TOKEN: '' }, { worker: false });
    try {
      const res = await request(stack.url).get('/api/admin/users').set('Authorization', 'Bearer anything').expect(401);
      expect(res.body.message).toMatch(/Admin is disabled/);
    } finally {
      await stack.close();
    }
  });
});

describe('the processes', () => {
  it.each([
    ['main.js', { PORT: 'eighty' }, /^Invalid configuration: PORT .*eighty/],
    ['main.worker.js', { WORKER_CONCURRENCY: '0' }, /^Invalid configuration: WORKER_CONCURRENCY /],
    ['main.js', { NODE_ENV: 'production', APP_SECRET: '' }, /^Invalid configuration: APP_SECRET /],
    ['main.js', { NODE_ENV: 'production', APP_SECRET: 'x'.repeat(32), TRUST_PROXY: 'true' }, /^Invalid configuration: TRUST_PROXY=true /],
    // The development secret is public (it is in the source): production refuses it.
    [
      'main.js',
      { NODE_ENV: 'production', APP_SECRET: 'dev-only-secret-do-not-use-in-production-0123456789' },
      /^Invalid configuration: APP_SECRET /,
    ],
    [
      'main.worker.js',
      { NODE_ENV: 'production', APP_SECRET: 'dev-only-secret-do-not-use-in-production-0123456789' },
      /^Invalid configuration: APP_SECRET /,
    ],
    // Without NODE_ENV (plain `npm start`): not development, so neither the published secret nor TRUST_PROXY=true.
    ['main.js', { NODE_ENV: undefined, APP_SECRET: undefined }, /^Invalid configuration: APP_SECRET is required /],
    [
      'main.worker.js',
      { NODE_ENV: undefined, APP_SECRET: 'dev-only-secret-do-not-use-in-production-0123456789' },
      /^Invalid configuration: APP_SECRET /,
    ],
    ['main.js', { NODE_ENV: undefined, APP_SECRET: 'x'.repeat(32), TRUST_PROXY: 'true' }, /^Invalid configuration: TRUST_PROXY=true /],
    ['main.js', { NODE_ENV: 'production', ADMIN_TOKEN: 'short-token' }, /^Invalid configuration: ADMIN_TOKEN /],
    ['main.js', { ADMIN_TOKEN: 'short-token' }, /^Invalid configuration: ADMIN_TOKEN /],
  ])('%s exits 1 with one line naming the bad variable (%j)', async (entry, env, message) => {
    const proc = runDist(entry, { PORT: '0', ...env });
    try {
      // A process that accepted the configuration would run on: give it 15 s, then fail.
      const code = await Promise.race([proc.exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))]);
      expect(code).toBe(1);
      const lines = proc.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    } finally {
      await proc.stop('SIGKILL');
    }
  });
});
