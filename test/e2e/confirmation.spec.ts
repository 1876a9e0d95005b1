import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

describe('confirmation links', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack()));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  async function registered(email: string): Promise<string> {
    await request(stack.url).post('/api/users').send({ email }).expect(202);
    return linkToken((await sesInbox.waitFor(email))[0]);
  }
  const confirmedFlag = async (email: string) =>
    (await stack.db.query(`SELECT confirmed FROM users WHERE email = $1`, [email]))[0]?.confirmed;

  it('answers 410 for an expired token, on the API and on the page, which offers a new link', async () => {
    const token = await registered('late@example.com');
    await stack.db.query(`UPDATE tokens SET expires_at = now() - interval '1 second'`);

    const api = await request(stack.url).post('/api/confirmations').send({ token }).expect(410);
    expect(api.body).toEqual({ statusCode: 410, error: 'Gone', message: 'The confirmation link has expired.' });
    const page = await request(stack.url).get(`/confirm/${token}`).expect(410);
    expect(page.text).toContain('This link has expired');
    expect(page.text).toContain('action="/resend"');
    expect(await confirmedFlag('late@example.com')).toBe(false);
  });

  it('answers 410 for an expired link even after its address was confirmed, and "already confirmed" before that', async () => {
    const token = await registered('long.ago@example.com');
    const confirm = () => request(stack.url).post('/api/confirmations').send({ token });
    await confirm().expect(200, { status: 'confirmed', email: 'long.ago@example.com' });
    await confirm().expect(200, { status: 'already_confirmed', email: 'long.ago@example.com' });
    await stack.db.query(`UPDATE tokens SET expires_at = now() - interval '1 second'`);
    const expired = await confirm().expect(410);
    expect(expired.body).toEqual({ statusCode: 410, error: 'Gone', message: 'The confirmation link has expired.' });
  });

  it('answers 404 for an unknown, tampered or orphaned token and 400 for a malformed one', async () => {
    const token = await registered('gone@example.com');
    const tampered = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    const unknown = await request(stack.url).post('/api/confirmations').send({ token: tampered }).expect(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(unknown.body.message).toMatch(/invalid/);

    for (const bad of [token.slice(0, 20), `${token}x`, 'not a token at all', '../../etc/passwd']) {
      const res = await request(stack.url).post('/api/confirmations').send({ token: bad }).expect(400);
      expect(res.body.message).toEqual(['token must be the 43-character code from the confirmation link']);
    }
    const page = await request(stack.url).get(`/confirm/${token.slice(0, 20)}`).expect(400);
    expect(page.text).toContain('This link does not work');

    await stack.db.query(`DELETE FROM users WHERE email = 'gone@example.com'`);
    await request(stack.url).post('/api/confirmations').send({ token }).expect(404);
    expect((await request(stack.url).get(`/confirm/${token}`).expect(404)).text).toContain('action="/resend"');
  });

  it('confirms once when 20 requests race with the same token; the rest hear "already confirmed"', async () => {
    const token = await registered('race@example.com');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => request(stack.url).post('/api/confirmations').send({ token })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const statuses = answers.map((a) => a.body.status);
    expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'already_confirmed')).toHaveLength(19);
  });

  it('refuses the confirm button without its CSRF token, changing nothing', async () => {
    const token = await registered('csrf@example.com');
    const res = await request(stack.url).post(`/confirm/${token}`).type('form').send({}).expect(403);
    expect(res.text).toContain('This form has expired or did not come from this site');
    expect(await confirmedFlag('csrf@example.com')).toBe(false);
  });

  it('sends a new link on request, at most once per cooldown, and keeps older links working', async () => {
    const first = await registered('again@example.com');
    const resend = () => request(stack.url).post('/api/confirmations/resend').send({ email: 'Again@example.com' });
    const answers = await Promise.all([resend(), resend(), resend()]);
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    const unknown = await request(stack.url).post('/api/confirmations/resend').send({ email: 'nobody@example.com' });
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(answers[0].body);

    await new Promise((r) => setTimeout(r, 500));
    expect(await sesInbox.to('again@example.com')).toHaveLength(1); // still within the cooldown

    await stack.db.query(`UPDATE mail_cooldowns SET last_sent_at = now() - interval '1 hour'`);
    await resend().expect(202);
    const emails = await sesInbox.waitFor('again@example.com', 2);
    const second = linkToken(emails[1]);
    expect(second).not.toBe(first);
    await request(stack.url).post('/api/confirmations').send({ token: first }).expect(200, { status: 'confirmed', email: 'again@example.com' });
  });
});

describe('CONFIRM_ON_GET=true', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ CONFIRM_ON_GET: 'true' })));
  afterAll(async () => stack?.close());

  it('confirms straight from the link', async () => {
    await resetState(stack);
    await request(stack.url).post('/api/users').send({ email: 'oneclick@example.com' }).expect(202);
    const token = linkToken((await sesInbox.waitFor('oneclick@example.com'))[0]);
    const page = await request(stack.url).get(`/confirm/${token}`).expect(200);
    expect(page.text).toContain('You have confirmed your account. Thanks!');
    const [{ confirmed }] = await stack.db.query(`SELECT confirmed FROM users`);
    expect(confirmed).toBe(true);
  });
});
