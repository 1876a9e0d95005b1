import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_CONTEXT } from '../../src/common/request-context.js';
import { DatabaseService } from '../../src/database/database.service.js';
import { UsersService } from '../../src/users/users.service.js';
import { adminUser, csrfFrom } from '../support/api.js';
import { waitUntilIdle } from '../support/metrics.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

const RESEND_MESSAGE = 'If that address is registered and not yet confirmed, a new confirmation link is on its way.';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('confirmation links', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ RESEND_COOLDOWN_SECONDS: '2' })));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  async function registered(email: string): Promise<string> {
    await request(stack.url).post('/api/users').send({ email }).expect(202);
    return linkToken((await sesInbox.waitFor(email))[0]);
  }
  const confirmedFlag = async (email: string) => (await adminUser(stack.url, email))?.confirmed;

  it('answers 410 for an expired link even after its address was confirmed, and "already confirmed" before that', async () => {
    const token = await registered('long.ago@example.com');
    const confirm = () => request(stack.url).post('/api/confirmations').send({ token });
    await confirm().expect(200, { status: 'confirmed', email: 'long.ago@example.com' });
    await confirm().expect(200, { status: 'already_confirmed', email: 'long.ago@example.com' });
    await stack.testApi.tokens.expireEveryLink();
    const expired = await confirm().expect(410);
    expect(expired.body).toEqual({ statusCode: 410, error: 'Gone', code: 'expired_token', message: 'The confirmation link has expired.' });
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
    const page = await request(stack.url)
      .get(`/confirm/${token.slice(0, 20)}`)
      .expect(400);
    expect(page.text).toContain('This link does not work');

    // No HTTP API deletes an unconfirmed user: the service that deletes users does.
    const { id } = (await adminUser(stack.url, 'gone@example.com'))!;
    await stack.web.get(DatabaseService).transaction(SYSTEM_CONTEXT, (tx) => stack.web.get(UsersService).delete(tx, id));
    await request(stack.url).post('/api/confirmations').send({ token }).expect(404);
    expect((await request(stack.url).get(`/confirm/${token}`).expect(404)).text).toContain('action="/resend"');
  });

  it('confirms once when 20 requests race with the same token; the rest hear "already confirmed"', async () => {
    const token = await registered('race@example.com');
    const answers = await Promise.all(Array.from({ length: 20 }, () => request(stack.url).post('/api/confirmations').send({ token })));
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

    await waitUntilIdle(stack.url);
    expect(await sesInbox.to('again@example.com')).toHaveLength(1); // still within the cooldown

    await pause(2100); // the cooldown (2 s here) runs out
    await resend().expect(202);
    const emails = await sesInbox.waitFor('again@example.com', 2);
    const second = linkToken(emails[1]);
    expect(second).not.toBe(first);
    await request(stack.url)
      .post('/api/confirmations')
      .send({ token: first })
      .expect(200, { status: 'confirmed', email: 'again@example.com' });
    // Once the address is confirmed, its newer link only hears "already confirmed" (whether the link
    // was marked used when the first confirmed is not visible through the API).
    await request(stack.url)
      .post('/api/confirmations')
      .send({ token: second })
      .expect(200, { status: 'already_confirmed', email: 'again@example.com' });
  });
});

describe('expired links', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ RESEND_COOLDOWN_SECONDS: '1' })));
  afterAll(async () => stack?.close());

  it('answers 410 for an expired token, on the API, the link page and the button, which offer a new link that works', async () => {
    await request(stack.url).post('/api/users').send({ email: 'late@example.com' }).expect(202);
    const [email] = await sesInbox.waitFor('late@example.com');
    const token = linkToken(email);
    const browser = request.agent(stack.url);
    const linkPage = await browser.get(`/confirm/${token}`).expect(200); // opened in time ...
    await stack.testApi.tokens.expireEveryLink(); // ... pressed too late (the shortest CONFIRMATION_TTL_SECONDS is 60)

    const api = await request(stack.url).post('/api/confirmations').send({ token }).expect(410);
    expect(api.body).toEqual({ statusCode: 410, error: 'Gone', code: 'expired_token', message: 'The confirmation link has expired.' });
    const page = await request(stack.url).get(`/confirm/${token}`).expect(410);
    expect(page.text).toContain('This link has expired');
    expect(page.text).toContain('action="/resend"');
    const pressed = await browser
      .post(`/confirm/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(linkPage.text) });
    expect(pressed.status).toBe(410);
    expect(pressed.text).toContain('This link has expired');
    expect(pressed.text).toContain('action="/resend"');
    expect((await adminUser(stack.url, 'late@example.com'))?.confirmed).toBe(false);

    // The page's form asks for a new link (once the resend cooldown is over); that one works.
    await pause(1100);
    const posted = await browser
      .post('/resend')
      .type('form')
      .send({ email: 'late@example.com', _csrf: csrfFrom(pressed.text) });
    expect(posted.status).toBe(303);
    const fresh = linkToken((await sesInbox.waitFor('late@example.com', 2))[1]);
    expect(fresh).not.toBe(token);
    await request(stack.url)
      .post('/api/confirmations')
      .send({ token: fresh })
      .expect(200, { status: 'confirmed', email: 'late@example.com' });
  });
});

describe('the "send me a new link" form', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ RESEND_COOLDOWN_SECONDS: '1' })));
  afterAll(async () => stack?.close());

  it('sends a new, working link to an unconfirmed address and says so', async () => {
    await request(stack.url).post('/api/users').send({ email: 'form.resend@example.com' }).expect(202);
    const [first] = await sesInbox.waitFor('form.resend@example.com');
    await pause(1100);
    const browser = request.agent(stack.url);
    const form = await browser.get('/resend').expect(200);
    expect(form.text).toContain('action="/resend"');
    const posted = await browser
      .post('/resend')
      .type('form')
      .send({ email: 'Form.Resend@example.com', _csrf: csrfFrom(form.text) });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe('/');
    const shown = await browser.get('/').expect(200);
    expect(shown.text).toContain(RESEND_MESSAGE);
    const emails = await sesInbox.waitFor('form.resend@example.com', 2);
    expect(linkToken(emails[1])).not.toBe(linkToken(first));
    await request(stack.url)
      .post('/api/confirmations')
      .send({ token: linkToken(emails[1]) })
      .expect(200, { status: 'confirmed', email: 'form.resend@example.com' });
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
    expect((await adminUser(stack.url, 'oneclick@example.com'))?.confirmed).toBe(true);
  });
});
