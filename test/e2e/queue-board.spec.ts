import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

describe('Bull Board writes (adding, retrying, removing jobs)', () => {
  let stack: Stack;
  const ADD = '/admin/queues/api/queues/mail/add';
  beforeAll(async () => (stack = await startStack({}, { worker: false })));
  afterAll(async () => stack?.close());
  afterEach(async () => {
    for (const job of await stack.queue.getJobs(['waiting', 'delayed', 'prioritized'])) {
      if (job?.name === 'board-probe') await job.remove();
    }
  });
  const probes = async () =>
    (await stack.queue.getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j?.name === 'board-probe').length;

  it('refuses a cross-site form post that the browser sends with its Basic credentials', async () => {
    const res = await request(stack.url)
      .post(ADD)
      .auth('admin', token)
      .set('Origin', 'https://evil.example')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send({ name: 'board-probe', data: '{}' })
      .expect(403);
    expect(res.text).toContain('must come from the dashboard itself');
    // Without the fetch metadata (an older browser), the foreign Origin alone is enough.
    await request(stack.url)
      .post(ADD)
      .auth('admin', token)
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ name: 'board-probe' })
      .expect(403);
    // Same origin, but a form or text body: no page of the board sends that.
    const origin = stack.url;
    await request(stack.url).post(ADD).auth('admin', token).set('Origin', origin).type('form').send({ name: 'board-probe' }).expect(403);
    await request(stack.url)
      .post(ADD)
      .auth('admin', token)
      .set('Origin', origin)
      .set('Content-Type', 'text/plain')
      .send('{"name":"board-probe"}')
      .expect(403);
    // No Origin at all with Basic: not from the dashboard.
    await request(stack.url).post(ADD).auth('admin', token).send({ name: 'board-probe', data: {} }).expect(403);
    expect(await probes()).toBe(0);
  });

  it('takes JSON from the dashboard itself (same Origin) with Basic, and JSON with Bearer from anywhere', async () => {
    await request(stack.url)
      .post(ADD)
      .auth('admin', token)
      .set('Origin', stack.url)
      .set('Sec-Fetch-Site', 'same-origin')
      .send({ name: 'board-probe', data: {} })
      .expect(200);
    await request(stack.url).post(ADD).set('Authorization', `Bearer ${token}`).send({ name: 'board-probe', data: {} }).expect(200);
    expect(await probes()).toBe(2);
    // The dashboard's buttons send bodiless PUTs.
    await request(stack.url).put('/admin/queues/api/queues/mail/retry/failed').auth('admin', token).set('Origin', stack.url).expect(200);
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
