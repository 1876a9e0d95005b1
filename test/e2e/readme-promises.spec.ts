/**
 * Promises the README makes that no other file checks, each through what a client or operator
 * sees: HTTP answers, pages, emails and metrics.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addresses, registerAll } from '../support/load.js';
import { adminAuth, adminUsers, register } from '../support/api.js';
import { waitUntilIdle } from '../support/metrics.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

describe('GET /api/admin/users: newest first, 100 by default, 1000 at most, offset', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({}, { worker: false });
    const statuses = await registerAll(stack.url, addresses('page', 1001), 8);
    expect(statuses.every((s) => s === 202)).toBe(true);
  }, 120_000);
  afterAll(async () => {
    // Their 1001 emails wait in this file's queue: gone before the next stack's worker starts.
    await stack?.queue.obliterate({ force: true });
    await resetState(stack);
    await stack?.close();
  });

  it('pages through 1001 users', async () => {
    const all = await adminUsers(stack.url, { limit: 1000 });
    expect(all).toHaveLength(1000);
    const times = all.map((u) => new Date(u.createdAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a)); // newest first
    expect(times[0]).toBeGreaterThan(times.at(-1)!);

    const firstPage = await adminUsers(stack.url);
    expect(firstPage.map((u) => u.id)).toEqual(all.slice(0, 100).map((u) => u.id));
    const middle = await adminUsers(stack.url, { offset: 100, limit: 5 });
    expect(middle.map((u) => u.id)).toEqual(all.slice(100, 105).map((u) => u.id));
    const last = await adminUsers(stack.url, { offset: 1000 });
    expect(last).toHaveLength(1); // the oldest, the one the first 1000 left out
    expect(all.map((u) => u.id)).not.toContain(last[0].id);
    expect(new Date(last[0].createdAt).getTime()).toBeLessThanOrEqual(times.at(-1)!);

    const tooMany = await request(stack.url).get('/api/admin/users?limit=1001').set(adminAuth()).expect(400);
    expect(tooMany.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    await request(stack.url).get('/api/admin/users?offset=-1').set(adminAuth()).expect(400);
  });
});

describe('the REST API sets no cookies (the pages do)', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack()));
  afterAll(async () => stack?.close());

  it('answers sign-up, resend, confirmation and admin calls without Set-Cookie', async () => {
    const answers = [
      await request(stack.url).post('/api/users').send({ email: 'nocookie@example.com' }),
      await request(stack.url).post('/api/users').send({ email: 'not an address' }),
      await request(stack.url).post('/api/confirmations/resend').send({ email: 'nocookie@example.com' }),
      await request(stack.url)
        .post('/api/confirmations')
        .send({ token: 'A'.repeat(43) }),
      await request(stack.url).get('/api/admin/users').set(adminAuth()),
      await request(stack.url).get('/api/admin/users'),
    ];
    const token = linkToken((await sesInbox.waitFor('nocookie@example.com'))[0]);
    answers.push(await request(stack.url).post('/api/confirmations').send({ token }));
    expect(answers.map((a) => a.status)).toEqual([202, 400, 202, 404, 200, 401, 200]);
    for (const answer of answers) expect(answer.headers['set-cookie']).toBeUndefined();
    // The check can see a cookie where there is one: the page sets its CSRF cookie.
    expect((await request(stack.url).get('/')).headers['set-cookie']).toBeDefined();
  });
});

describe('one email for concurrent sign-ups of one address across several web instances', () => {
  const stacks: Stack[] = [];
  beforeAll(async () => {
    // Three web instances (separate apps, separate connection pools) and one worker.
    stacks.push(await startStack({ RESEND_COOLDOWN_SECONDS: '2' }));
    for (let i = 0; i < 2; i++) stacks.push(await startStack({ RESEND_COOLDOWN_SECONDS: '2' }, { worker: false }));
  });
  afterAll(async () => {
    for (const s of stacks) await s.close();
  });

  const everywhere = (email: string, perInstance: number) =>
    Promise.all(stacks.flatMap((s) => Array.from({ length: perInstance }, () => register(s.url, email))));

  it('creates one user and sends one link, then one fresh link, then one notice once confirmed', async () => {
    const email = 'everywhere@example.com';
    const [link, notice] = ['Confirm your email address', 'Someone tried to sign up with your address'];
    expect(new Set(await everywhere(email, 10))).toEqual(new Set([202]));
    await sesInbox.waitFor(email);
    await waitUntilIdle(stacks[0].url);
    expect(await sesInbox.to(email)).toHaveLength(1);
    expect(await adminUsers(stacks[1].url, { email })).toHaveLength(1);

    await new Promise((r) => setTimeout(r, 2100)); // the cooldown runs out
    expect(new Set(await everywhere(email, 10))).toEqual(new Set([202]));
    const links = await sesInbox.waitFor(email, 2);
    await waitUntilIdle(stacks[0].url);
    expect(await sesInbox.to(email)).toHaveLength(2);

    await request(stacks[2].url)
      .post('/api/confirmations')
      .send({ token: linkToken(links[1]) })
      .expect(200);
    await new Promise((r) => setTimeout(r, 2100));
    expect(new Set(await everywhere(email, 10))).toEqual(new Set([202]));
    await waitFor(async () => (await sesInbox.to(email, notice)).length > 0, { what: 'the notice' });
    await waitUntilIdle(stacks[0].url);
    // Once confirmed, other emails may go to the address too: the sign-ups sent it one notice and no link.
    expect(await sesInbox.to(email, notice)).toHaveLength(1);
    expect(await sesInbox.to(email, link)).toHaveLength(2);
  });
});
