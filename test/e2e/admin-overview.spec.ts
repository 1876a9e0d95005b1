import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_CONTEXT } from '../../src/common/request-context.js';
import { DatabaseService } from '../../src/database/database.service.js';
import { SuppressionsService } from '../../src/mail/suppressions.service.js';
import { FunnelHoursRepository } from '../../src/overview/funnel-hours.repository.js';
import { FunnelRollup } from '../../src/overview/funnel-rollup.service.js';
import { adminAuth, adminToken, adminUsers, csrfFrom } from '../support/api.js';
import { seedFunnel, wholeHourAgo } from '../support/funnel-seed.js';
import { startStack, type Stack } from '../support/stack.js';

const BASIC = `Basic ${Buffer.from(`operator:${adminToken()}`).toString('base64')}`;
const HOUR = 3_600_000;

/** GET /api/admin/stats and the /admin overview on a seeded database (support/funnel-seed.ts has the figures). */
describe('the funnel: GET /api/admin/stats and the /admin overview', () => {
  let stack: Stack;
  const base = wholeHourAgo(0);
  const iso = (hoursBefore: number) => new Date(base.getTime() - hoursBefore * HOUR).toISOString();
  beforeAll(async () => {
    stack = await startStack({}, { worker: false });
    await seedFunnel(stack, base);
  });
  afterAll(async () => stack?.close());

  const stats = (query: Record<string, string>) => request(stack.url).get('/api/admin/stats').query(query).set(adminAuth());

  it('answers every hour of the range with what happened in it, the time to confirm, and what waits or failed', async () => {
    const res = await stats({ from: iso(5), to: iso(0), bucket: 'hour' }).expect(200);
    expect(res.body.buckets).toEqual([
      { at: iso(5), registered: 0, sent: 0, confirmed: 0, bounced: 0, complained: 0 },
      { at: iso(4), registered: 4, sent: 2, confirmed: 2, bounced: 0, complained: 0 },
      { at: iso(3), registered: 0, sent: 1, confirmed: 1, bounced: 0, complained: 0 },
      { at: iso(2), registered: 1, sent: 0, confirmed: 0, bounced: 0, complained: 0 },
      { at: iso(1), registered: 0, sent: 0, confirmed: 0, bounced: 1, complained: 1 },
    ]);
    // Confirmations after 60 s, 600 s and 3600 s: the median is 600 s, the 90th percentile 3600 s (within 2.5 %).
    expect(res.body.timeToConfirm.p50Seconds).toBeGreaterThanOrEqual(585);
    expect(res.body.timeToConfirm.p50Seconds).toBeLessThanOrEqual(615);
    expect(res.body.timeToConfirm.p90Seconds).toBeGreaterThanOrEqual(3510);
    expect(res.body.timeToConfirm.p90Seconds).toBeLessThanOrEqual(3690);
    expect({ waiting: res.body.waiting, failed: res.body.failed }).toEqual({
      waiting: { emails: 1, webhooks: 1 },
      failed: { emails: 1, webhooks: 1 },
    });
  });

  it('adds the hours up by day, and rounds a range out to whole buckets', async () => {
    const res = await stats({ from: iso(5), to: iso(0), bucket: 'day' }).expect(200);
    const days = res.body.buckets as Array<{ at: string; registered: number; confirmed: number; bounced: number }>;
    expect(days.every((d) => d.at.endsWith('T00:00:00.000Z'))).toBe(true);
    const sum = (key: 'registered' | 'confirmed' | 'bounced') => days.reduce((n, d) => n + d[key], 0);
    expect({ registered: sum('registered'), confirmed: sum('confirmed'), bounced: sum('bounced') }).toEqual({
      registered: 5,
      confirmed: 3,
      bounced: 1,
    });
    const mid = await stats({ from: new Date(base.getTime() - 4 * HOUR + 30 * 60_000).toISOString(), to: iso(3), bucket: 'hour' }).expect(
      200,
    );
    expect(mid.body.buckets).toEqual([{ at: iso(4), registered: 4, sent: 2, confirmed: 2, bounced: 0, complained: 0 }]);
  });

  it('answers 400 with a code for a bad range, and 401 for HTTP Basic or no token', async () => {
    const bad = async (query: Record<string, string>, code: string) => {
      const res = await stats(query).expect(400);
      expect(res.body.code).toBe(code);
    };
    await bad({ from: iso(1), to: iso(2) }, 'invalid_range');
    await bad({ from: iso(1), to: iso(1) }, 'invalid_range');
    await bad({ from: iso(24 * 32), to: iso(0), bucket: 'hour' }, 'invalid_range');
    await bad({ bucket: 'week' }, 'invalid_input');
    await bad({ from: 'yesterday' }, 'invalid_input');
    await bad({ to: '2026-13-45T00:00:00Z' }, 'invalid_input');
    expect((await request(stack.url).get('/api/admin/stats').set('Authorization', BASIC).expect(401)).body.code).toBe(
      'admin_bearer_required',
    );
    await request(stack.url).get('/api/admin/stats').expect(401);
    expect((await stats({ from: iso(24 * 30), to: iso(0), bucket: 'day' }).expect(200)).body.buckets.length).toBeGreaterThanOrEqual(30);
  });

  it('shows the overview to a browser (HTTP Basic): navigation to every admin page, figures, charts with text alternatives and tables', async () => {
    await request(stack.url).get('/admin').expect(401);
    const page = (await request(stack.url).get('/admin').set('Authorization', BASIC).expect(200)).text;
    for (const href of ['/admin', '/admin/users', '/admin/suppressions', '/admin/webhooks', '/admin/queues'])
      expect(page).toContain(`href="${href}"`);
    expect(page).toMatch(/<th scope="row">Sending<\/th><td>Not paused<\/td>/);
    expect(page).toMatch(/<th scope="row">Emails waiting to be sent<\/th><td>1<\/td>/);
    expect(page).toMatch(/<th scope="row">Webhook deliveries failed<\/th><td>1 /);
    const charts = page.match(/<svg [^>]*role="img"[^>]*>/g) ?? [];
    expect(charts).toHaveLength(2);
    expect(page).toMatch(/<desc id="funnel-hour-desc">Sign-ups: 5 in all, at most 4 \(/);
    expect(page).toContain(`<tr><th scope="row">${iso(4).slice(0, 16).replace('T', ' ')} UTC</th><td>4</td><td>2</td><td>2</td></tr>`);
    const days = (await request(stack.url).get('/admin?range=30d').set('Authorization', BASIC).expect(200)).text;
    expect(days).toContain('Sign-ups, emails sent and confirmations per day');
    await request(stack.url).get('/admin?range=1y').set('Authorization', BASIC).expect(400);
  });

  it('lists users with Yes/No, and lets an operator resend a confirmation, lift a suppression and delete a user', async () => {
    const agent = request.agent(stack.url).set('Authorization', BASIC);
    const page = (await agent.get('/admin/users').expect(200)).text;
    expect(page).not.toMatch(/<td>(True|False)<\/td>/);
    expect(page).toMatch(/<td>one-funnel@example.com<\/td><td>Yes<\/td><td>Yes<\/td>/);
    expect(page).toMatch(/<td>four-funnel@example.com<\/td><td>No<\/td><td>No<\/td>/);
    const four = (await adminUsers(stack.url, { email: 'four-funnel@example.com' }))[0];
    const one = (await adminUsers(stack.url, { email: 'one-funnel@example.com' }))[0];
    expect(page).toContain(`action="/admin/users/${four.id}/resend"`);
    expect(page).not.toContain(`action="/admin/users/${one.id}/resend"`); // confirmed: nothing to resend

    await agent.post(`/admin/users/${four.id}/resend`).type('form').send({}).expect(403); // no CSRF token
    const resent = await agent
      .post(`/admin/users/${four.id}/resend`)
      .type('form')
      .send({ _csrf: csrfFrom(page) });
    expect({ status: resent.status, location: resent.headers.location }).toEqual({ status: 303, location: '/admin/users' });
    expect((await agent.get('/admin/users').expect(200)).text).toContain(
      'A new confirmation link to four-funnel@example.com is on its way',
    );

    // A suppressed address gets a Lift button, which posts to the suppressions page's form.
    await stack.web
      .get(DatabaseService)
      .transaction(SYSTEM_CONTEXT, (tx) =>
        stack.web.get(SuppressionsService).suppress(tx, 'bounced-funnel@example.com', 'bounce', 'Permanent/General'),
      );
    const withLift = (await agent.get('/admin/users').expect(200)).text;
    expect(withLift).toContain('aria-label="Lift suppression of bounced-funnel@example.com"');
    expect(withLift).not.toContain('aria-label="Lift suppression of four-funnel@example.com"');
    await agent
      .post('/admin/suppressions/lift')
      .type('form')
      .send({ email: 'bounced-funnel@example.com', _csrf: csrfFrom(withLift) })
      .expect(303);
    expect(await stack.web.get(SuppressionsService).list()).toEqual([]);

    await agent
      .post(`/admin/users/${one.id}/delete`)
      .type('form')
      .send({ _csrf: csrfFrom(page) })
      .expect(303);
    expect(await adminUsers(stack.url, { email: 'one-funnel@example.com' })).toEqual([]);
    expect((await agent.get('/admin/users').expect(200)).text).toContain('one-funnel@example.com was deleted');
  });

  it('rolls the closed hours up on the first request (the worker does it every minute), and keeps them when the users are deleted later', async () => {
    // The first stats request of this file rolled the closed hours up, before a user was deleted above.
    const rolledUntil = (await stack.web.get(FunnelHoursRepository).span())?.until;
    expect(rolledUntil!.getTime()).toBeGreaterThanOrEqual(base.getTime() - HOUR);
    expect(await stack.web.get(FunnelRollup).rollUp()).toBe(0); // nothing left to do
    const before = (await stats({ from: iso(6), to: iso(1) }).expect(200)).body;
    expect(before.buckets.map((b: { registered: number }) => b.registered)).toEqual([0, 0, 4, 0, 1]);

    // What is rolled up stays: a sign-up deleted afterwards still happened.
    await stack.testApi.users.removeEveryUser();
    const after = (await stats({ from: iso(6), to: iso(1) }).expect(200)).body;
    expect(after.buckets).toEqual(before.buckets);
    expect(after.failed.emails).toBe(0); // the outbox rows went with their users
  });
});
