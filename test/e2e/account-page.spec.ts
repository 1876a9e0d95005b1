import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, bearer, confirmedAccount, emailedCode, latestEmail, pathToken, signIn, signInCode } from '../support/accounts.js';
import { csrfFrom } from '../support/api.js';
import { waitUntilIdle } from '../support/metrics.js';
import { sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

type Agent = ReturnType<typeof request.agent>;

/** The text a person reads in the page's main part, tags and the footer left out. */
const mainText = (html: string): string =>
  (/<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** A browser signed in through /sign-in (password, or code), on /account. */
async function signedInBrowser(stack: Stack, email: string, proof: { password: string } | { code: string }): Promise<Agent> {
  const browser = request.agent(stack.url);
  const csrf = csrfFrom((await browser.get('/sign-in').expect(200)).text);
  const form = 'code' in proof ? { mode: 'code', code: proof.code } : { mode: 'password', password: proof.password };
  await browser
    .post('/sign-in')
    .type('form')
    .send({ ...form, email, _csrf: csrf })
    .expect(303)
    .expect('location', '/account');
  return browser;
}

/** Posts the form at `path` of /account as a person would: with the page's CSRF token; answers the page shown after it. */
async function submit(browser: Agent, path: string, fields: Record<string, string> = {}) {
  const csrf = csrfFrom((await browser.get('/account').expect(200)).text);
  const res = await browser
    .post(path)
    .type('form')
    .send({ ...fields, _csrf: csrf });
  if (res.status !== 303) return res;
  expect(res.headers.location).toBe('/account');
  return browser.get('/account').expect(200);
}

describe('the account page tells a signed-in person the truth', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack()));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  it('a second email change within the cooldown: nothing was sent, and when to ask again (the API: 429 too_soon)', async () => {
    await confirmedAccount(stack, 'mover@example.com');
    const browser = await signedInBrowser(stack, 'mover@example.com', { password: GOOD_PASSWORD });
    const first = await submit(browser, '/account/email', { email: 'first@example.com', password: GOOD_PASSWORD });
    expect(mainText(first.text)).toContain('We sent a link to the new address');

    const second = await submit(browser, '/account/email', { email: 'second@example.com', password: GOOD_PASSWORD });
    expect(second.status).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    expect(mainText(second.text)).toMatch(/nothing was sent now\. Ask again in \d+ (minute|second)s?\./);
    expect(mainText(second.text)).not.toMatch(/on its way|We sent a link/);
    expect(second.text).not.toContain('aria-invalid="true"'); // the password was right: no field is wrong

    const api = await request(stack.url)
      .post('/api/me/email-changes')
      .set(bearer(await signIn(stack, 'mover@example.com')))
      .send({ email: 'third@example.com', password: GOOD_PASSWORD })
      .expect(429);
    expect(api.body).toMatchObject({ statusCode: 429, code: 'too_soon', message: expect.stringMatching(/nothing was sent/) });
    expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);

    await waitUntilIdle(stack.url);
    expect([...(await sesInbox.to('second@example.com')), ...(await sesInbox.to('third@example.com'))]).toEqual([]);
  });

  it('"Email me a code" says the code is on its way to the address, or that nothing was sent and until when', async () => {
    await confirmedAccount(stack, 'coder@example.com', null);
    const browser = await signedInBrowser(stack, 'coder@example.com', { code: await emailedCode(stack, 'coder@example.com') });

    const sent = await submit(browser, '/account/code');
    expect(mainText(sent.text)).toContain('A sign-in code is on its way to coder@example.com. It works for 10 minutes.');
    await latestEmail('coder@example.com', /sign-in code/, 2);
    await submit(browser, '/account/code'); // the third code in 10 minutes, with the one used to sign in

    const refused = await submit(browser, '/account/code');
    expect(mainText(refused.text)).toMatch(/Nothing was sent now: .* Ask again in \d+ minutes?\./);
    expect(mainText(refused.text)).not.toContain('on its way');
    await waitUntilIdle(stack.url);
    expect(await sesInbox.to('coder@example.com')).toHaveLength(4); // the confirmation link and three codes
  });

  it('after five wrong current passwords: how long to wait, in words for someone signed in', async () => {
    await confirmedAccount(stack, 'typo@example.com');
    const browser = await signedInBrowser(stack, 'typo@example.com', { password: GOOD_PASSWORD });
    const change = { currentPassword: 'not my password', newPassword: 'a new and long passphrase' };
    for (let i = 0; i < 5; i++) expect((await submit(browser, '/account/password', change)).status).toBe(401);

    const blocked = await submit(browser, '/account/password', { ...change, currentPassword: GOOD_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    expect(mainText(blocked.text)).toMatch(/Too many wrong passwords.* try again in 1[45] minutes\./);
    expect(mainText(blocked.text)).not.toMatch(/sign-ins|sign in with an emailed code/i);
    expect((await browser.get('/account').expect(200)).text).toContain('typo@example.com'); // still signed in
  });

  it('an account without a password sets one with a code, from the field and button beside it', async () => {
    await confirmedAccount(stack, 'nopw@example.com', null);
    const browser = await signedInBrowser(stack, 'nopw@example.com', { code: await emailedCode(stack, 'nopw@example.com') });
    const page = (await browser.get('/account').expect(200)).text;
    const passwordForm = /<form method="post" action="\/account\/password"[\s\S]*?<\/form>/.exec(page)![0];
    expect(passwordForm).toMatch(/<input id="password-proof" name="code"/);
    expect(passwordForm).toMatch(/<button type="submit" form="email-code"[^>]*>Email me a code<\/button>/);
    expect(page).toMatch(/<form id="email-code" method="post" action="\/account\/code"/);

    await submit(browser, '/account/code');
    const code = signInCode(await latestEmail('nopw@example.com', /sign-in code/, 2));
    const set = await submit(browser, '/account/password', { code, newPassword: 'my first real passphrase' });
    expect(mainText(set.text)).toContain('Your password is set.');
    await signIn(stack, 'nopw@example.com', 'my first real passphrase');
  });
});

describe('the cancel link of a change that already went through', () => {
  /** Moves from@example.com to to@example.com; returns the cancel link's token, sent to the old address. */
  async function changedAccount(stack: Stack): Promise<string> {
    await confirmedAccount(stack, 'from@example.com');
    const session = await signIn(stack, 'from@example.com');
    await request(stack.url)
      .post('/api/me/email-changes')
      .set(bearer(session))
      .send({ email: 'to@example.com', password: GOOD_PASSWORD })
      .expect(202);
    const cancel = pathToken(await latestEmail('from@example.com', /about to change/), 'email-change');
    const change = pathToken(await latestEmail('to@example.com', /Confirm your new email address/), 'email-change');
    await request(stack.url).post('/api/email-changes/confirm').send({ token: change }).expect(200);
    return cancel;
  }

  /** The page the old address's owner sees, on opening the link and on pressing a cancel button still open in a tab. */
  async function pagesOf(stack: Stack, cancel: string): Promise<string[]> {
    const browser = request.agent(stack.url);
    const shown = await browser.get(`/email-change/${cancel}`);
    const csrf = csrfFrom((await browser.get('/sign-in')).text); // the form the tab still shows had one
    const pressed = await browser.post(`/email-change/${cancel}`).type('form').send({ _csrf: csrf });
    return [shown, pressed].map((res) => {
      expect(res.status).toBe(410);
      return mainText(res.text);
    });
  }

  describe('with SUPPORT_EMAIL', () => {
    let stack: Stack;
    beforeAll(async () => (stack = await startStack({ SUPPORT_EMAIL: 'help@example.com' })));
    afterAll(async () => stack?.close());
    beforeEach(async () => resetState(stack));

    it('says the change happened, to which address, and that support can give the account back', async () => {
      for (const text of await pagesOf(stack, await changedAccount(stack))) {
        expect(text).toContain('The account now uses to@example.com');
        expect(text).not.toMatch(/already used or (was )?cancelled/);
        expect(text).toContain('help@example.com');
        expect(text).toMatch(/password reset cannot help/i);
      }
    });
  });

  describe('without SUPPORT_EMAIL', () => {
    let stack: Stack;
    beforeAll(async () => (stack = await startStack()));
    afterAll(async () => stack?.close());
    beforeEach(async () => resetState(stack));

    it('says the change happened and what the owner can still do', async () => {
      for (const text of await pagesOf(stack, await changedAccount(stack))) {
        expect(text).toContain('The account now uses to@example.com');
        expect(text).toMatch(/sign in with to@example\.com and that password/);
        expect(text).toMatch(/your old address is free again/i);
      }
    });
  });
});
