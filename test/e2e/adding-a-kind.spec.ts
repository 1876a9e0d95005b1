import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_KINDS, REGISTRY } from '../../src/app.registry.js';
import { GOOD_PASSWORD, latestEmail } from '../support/accounts.js';
import { waitUntilIdle } from '../support/metrics.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { startStack, type Stack } from '../support/stack.js';
import { WelcomeEmail } from '../fixtures/welcome/welcome.email.js';

/**
 * The README's promise: a new kind of email is its kind file, its templates and one registration
 * line, and nothing else changes. The fixture kind answers UserConfirmed; the line is the list below.
 */
describe('a kind of email added as the README says (a welcome after confirmation)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({}, { registry: { ...REGISTRY, emails: [...EMAIL_KINDS, WelcomeEmail] } });
  });
  afterAll(() => stack?.close());

  it('is sent once the address is confirmed, once, in the shared layout, with nothing else wired', async () => {
    const email = 'welcome@example.com';
    await request(stack.url).post('/api/users').send({ email }).expect(202);
    const [link] = await sesInbox.waitFor(email);
    expect(await sesInbox.to(email)).toHaveLength(1); // nothing before the confirmation
    await request(stack.url)
      .post('/api/confirmations')
      .send({ token: linkToken(link), password: GOOD_PASSWORD })
      .expect(200);
    const welcome = await latestEmail(email, /^Welcome to /);
    expect(welcome.body.text).toContain(`${stack.env.APP_URL}/sign-in`);
    expect(welcome.body.html).toContain('Your address is confirmed');
    // A second confirmation request records no second fact, so no second welcome.
    await request(stack.url)
      .post('/api/confirmations')
      .send({ token: linkToken(link) })
      .expect(200);
    await waitUntilIdle(stack.url);
    expect((await sesInbox.to(email)).filter((e) => /^Welcome to /.test(e.subject))).toHaveLength(1);
  });
});
