import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { adminUser as adminUserOf, csrfFrom, userCount } from '../support/api.js';
import { everythingStored } from '../support/database-scan.js';
import { waitUntilIdle } from '../support/metrics.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';
import { DatabaseService } from '../../src/database/database.service.js';
import { statement } from '../../src/database/statement.js';
const REGISTERED = 'Thank you for registering. Please check your inbox for a confirmation link.';

describe('sign up → queued SES email → confirm (web + worker, real services)', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack()));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  const adminUser = async (email: string) => (await adminUserOf(stack.url, email))!;

  it('registers over REST, emails a link through SES, marks email_sent, and confirms', async () => {
    const res = await request(stack.url).post('/api/users').send({ email: 'Ada@Example.com' }).expect(202);
    expect(res.body).toEqual({ message: REGISTERED });

    const [email] = await sesInbox.waitFor('ada@example.com');
    expect(email.subject).toBe('Confirm your email address');
    expect(email.from).toBe('no-reply@example.com');
    const token = linkToken(email);
    expect(email.body.text).toContain(`http://localhost:3000/confirm/${token}`);
    expect(email.body.html).toContain(`http://localhost:3000/confirm/${token}`);

    const sent = await waitFor(
      async () => {
        const user = await adminUser('ada@example.com');
        return user?.emailSent ? user : null;
      },
      { what: 'email_sent' },
    );
    expect(sent).toMatchObject({ email: 'ada@example.com', confirmed: false, emailError: null });
    expect(new Date(sent.emailSentAt!).getTime()).toBeGreaterThanOrEqual(new Date(sent.createdAt).getTime());

    const confirmed = await request(stack.url).post('/api/confirmations').send({ token }).expect(200);
    expect(confirmed.body).toEqual({ status: 'confirmed', email: 'ada@example.com' });
    expect(await adminUser('ada@example.com')).toMatchObject({ confirmed: true, emailSent: true });
    const again = await request(stack.url).post('/api/confirmations').send({ token }).expect(200);
    expect(again.body).toEqual({ status: 'already_confirmed', email: 'ada@example.com' });
  });

  it('registers through the HTML form and confirms through the button, with CSRF tokens', async () => {
    const browser = request.agent(stack.url);
    const home = await browser.get('/').expect(200);
    expect(home.text).toContain('<form method="post" action="/"');
    const csrf = csrfFrom(home.text);

    const posted = await browser.post('/').type('form').send({ email: 'grace@example.com', _csrf: csrf }).expect(303);
    expect(posted.headers.location).toBe('/');
    const after = await browser.get('/').expect(200);
    expect(after.text).toContain(REGISTERED);
    expect((await browser.get('/').expect(200)).text).not.toContain(REGISTERED); // a flash shows once

    const token = linkToken((await sesInbox.waitFor('grace@example.com'))[0]);
    const page = await browser.get(`/confirm/${token}`).expect(200);
    expect(page.text).toContain('Confirm my email address');
    const pageCsrf = csrfFrom(page.text);
    // Showing the page (what a mail scanner does) confirms nobody.
    expect((await adminUser('grace@example.com')).confirmed).toBe(false);

    const done = await browser.post(`/confirm/${token}`).type('form').send({ _csrf: pageCsrf }).expect(200);
    expect(done.text).toContain('You have confirmed your account. Thanks!');
    expect((await adminUser('grace@example.com')).confirmed).toBe(true);
    const twice = await browser.post(`/confirm/${token}`).type('form').send({ _csrf: pageCsrf }).expect(200);
    expect(twice.text).toContain('Account already confirmed.');
    expect((await browser.get(`/confirm/${token}`).expect(200)).text).toContain('Account already confirmed.');
  });

  it('treats A@X.com and a@x.com as one user and answers a second sign-up exactly like the first', async () => {
    const first = await request(stack.url).post('/api/users').send({ email: 'Case@Example.com' }).expect(202);
    const second = await request(stack.url).post('/api/users').send({ email: 'case@EXAMPLE.com' }).expect(202);
    expect(second.body).toEqual(first.body);
    await sesInbox.waitFor('case@example.com');
    expect(await userCount(stack.url)).toBe(1);
  });

  it('puts no address or token in the job, and only a hash of the token in the database', async () => {
    await request(stack.url).post('/api/users').send({ email: 'secret@example.com' }).expect(202);
    const token = linkToken((await sesInbox.waitFor('secret@example.com'))[0]);
    await waitUntilIdle(stack.url);

    const jobs = await stack.queue.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed']);
    expect(jobs.length).toBeGreaterThanOrEqual(1);
    for (const job of jobs) {
      const data = JSON.stringify(job.data);
      expect(data).not.toContain('secret');
      expect(data).not.toContain(token);
    }

    // Whatever the tables and columns are called: the token's SHA-256 is stored, the token is not.
    const dump = await everythingStored(stack);
    expect(dump).not.toContain(token);
    expect(dump.toLowerCase()).toMatch(new RegExp(createHash('sha256').update(token).digest('hex')));
  });

  it('stores a sign-up and its email together: when the email cannot be recorded, the user is not stored either', async () => {
    const acceptEmailsAgain = await stack.testApi.mail.refuseNewEmails();
    try {
      const refused = await request(stack.url).post('/api/users').send({ email: 'together@example.com' });
      expect(refused.status).toBe(500);
    } finally {
      await acceptEmailsAgain();
    }
    expect(await userCount(stack.url)).toBe(0);

    await request(stack.url).post('/api/users').send({ email: 'together@example.com' }).expect(202);
    expect(await sesInbox.waitFor('together@example.com')).toHaveLength(1);
    await waitUntilIdle(stack.url);
    expect(await sesInbox.to('together@example.com')).toHaveLength(1);
  });

  it('refuses SQL that does not fit the schema, as the start-up check of the composed sign-up statement does', async () => {
    const db = stack.web.get(DatabaseService);
    await expect(db.check(statement('users.unknown-column', 'SELECT nickname FROM users WHERE email = $1'))).rejects.toThrow(
      'Statement users.unknown-column does not fit the schema: column "nickname" does not exist',
    );
    await expect(db.check(statement('users.known-columns', 'SELECT id FROM users WHERE email = $1'))).resolves.toBeUndefined();
  });

  it('keeps registering while the worker is down and delivers once a worker runs', async () => {
    await stack.worker!.close();
    await request(stack.url).post('/api/users').send({ email: 'later@example.com' }).expect(202);
    // Handed to the queue, where it waits: nothing else can send it.
    await waitFor(
      async () => {
        const user = await adminUser('later@example.com');
        return user && (await stack.queue.getJobCounts('waiting')).waiting >= 1;
      },
      { what: 'the email to wait in the queue' },
    );
    expect(await sesInbox.to('later@example.com')).toHaveLength(0);
    const restarted = await startStack({}, { worker: true });
    try {
      await sesInbox.waitFor('later@example.com');
    } finally {
      await restarted.close();
      stack.worker = undefined;
    }
  });
});
