import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, confirmedAccount, latestEmail, pathToken, signUp } from '../support/accounts.js';
import { adminToken, csrfFrom } from '../support/api.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

type Agent = ReturnType<typeof request.agent>;

/** The page's header (the product name and who is signed in). */
const headerOf = (html: string): string => /<header class="site">([\s\S]*?)<\/header>/.exec(html)?.[1] ?? '';
/** Its words, tags left out. */
const textOf = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The texts a field's aria-describedby points at (the field found by its id). */
function descriptionOf(html: string, fieldId: string): string[] {
  const field = new RegExp(`<input id="${fieldId}"[^>]*>`).exec(html)?.[0];
  if (!field) throw new Error(`No field #${fieldId}`);
  const ids = /aria-describedby="([^"]+)"/.exec(field)?.[1].split(' ') ?? [];
  return ids.map((id) => textOf(new RegExp(`<p id="${id}"[^>]*>([\\s\\S]*?)</p>`).exec(html)?.[1] ?? `(nothing is #${id})`));
}

const sessionCookieOf = (res: request.Response): string | undefined =>
  ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith('session='));

/** Opens the emailed link's page in `browser`, submits its form with `fields` (and the page's CSRF token) and expects `status`. */
async function submitConfirmPage(browser: Agent, token: string, status: number, fields: Record<string, string> = {}) {
  const page = await browser.get(`/confirm/${token}`).expect(200);
  return browser
    .post(`/confirm/${token}`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...fields })
    .expect(status);
}

async function signedInBrowser(stack: Stack, email: string): Promise<Agent> {
  const browser = request.agent(stack.url);
  const csrf = csrfFrom((await browser.get('/sign-in').expect(200)).text);
  await browser
    .post('/sign-in')
    .type('form')
    .send({ mode: 'password', email, password: GOOD_PASSWORD, _csrf: csrf })
    .expect(303)
    .expect('location', '/account');
  return browser;
}

describe('pages that know who is signed in', () => {
  let stack: Stack;
  // A policy other than the default, so the pages' words are seen to come from it.
  beforeAll(async () => (stack = await startStack({ PASSWORD_MIN_LENGTH: '14' })));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  it('shows "Sign in" in the header when signed out, else the address and a Sign out form; / and /sign-in send a signed-in person to /account', async () => {
    const anonymous = await request(stack.url).get('/resend').expect(200);
    expect(textOf(headerOf(anonymous.text))).toBe('Sign-up Demo Sign in');
    expect(headerOf(anonymous.text)).toContain('<a href="/sign-in">Sign in</a>');
    await request(stack.url).get('/').expect(200);
    await request(stack.url).get('/sign-in').expect(200);

    await confirmedAccount(stack, 'header@example.com');
    const browser = await signedInBrowser(stack, 'header@example.com');
    await browser.get('/').expect(303).expect('location', '/account');
    await browser.get('/sign-in?email=header%40example.com&code=ABCD2345').expect(303).expect('location', '/account');

    const resend = await browser.get('/resend').expect(200);
    const header = headerOf(resend.text);
    expect(textOf(header)).toBe('Sign-up Demo Signed in as header@example.com Sign out');
    expect(header).toContain('<a href="/account">header@example.com</a>');
    expect(header).toMatch(/<form method="post" action="\/sign-out"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+">/);
    // One token per page: the header's form and the page's own carry the same.
    const tokens = [...resend.text.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]);
    expect(tokens.length).toBe(2);
    expect(new Set(tokens).size).toBe(1);
    // A browser that kept its session but lost its CSRF cookies: the header and the page share one new token, and it works.
    const session = (await browser.get('/account').expect(200)).request.cookies;
    const sessionOnly = /(?:^|; )(session=[^;]+)/.exec(session)![1];
    const fresh = await request(stack.url).get('/resend').set('Cookie', sessionOnly).expect(200);
    const freshTokens = new Set([...fresh.text.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]));
    expect(freshTokens.size).toBe(1);
    const freshCookies = (fresh.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]);
    expect(freshCookies.filter((c) => c.startsWith('csrf='))).toHaveLength(1);
    await request(stack.url)
      .post('/resend')
      .set('Cookie', [sessionOnly, ...freshCookies].join('; '))
      .type('form')
      .send({ email: 'header@example.com', _csrf: [...freshTokens][0] })
      .expect(303);
    // The account page's own sign-out button is gone: the header's is the one.
    const account = await browser.get('/account').expect(200);
    expect(account.text.match(/action="\/sign-out"/g)).toHaveLength(1);

    // Operators' pages (HTTP Basic) have no session header, signed in or not.
    const basic = `Basic ${Buffer.from(`ops:${adminToken()}`).toString('base64')}`;
    expect(textOf(headerOf((await browser.get('/admin/users').set('Authorization', basic).expect(200)).text))).toBe('Sign-up Demo');
    expect(textOf(headerOf((await request(stack.url).get('/admin').set('Authorization', basic).expect(200)).text))).toBe('Sign-up Demo');

    // The header's form signs out, from any page.
    await browser
      .post('/sign-out')
      .type('form')
      .send({ _csrf: csrfFrom(resend.text) })
      .expect(303)
      .expect('location', '/sign-in');
    expect(textOf(headerOf((await browser.get('/sign-in').expect(200)).text))).toBe('Sign-up Demo Sign in');
    await browser.get('/').expect(200);
  });

  it('confirming with a password signs the person in and lands on /account; without one, or with a used link, it does not', async () => {
    const browser = request.agent(stack.url);
    const token = await signUp(stack, 'chooser@example.com');
    const confirmed = await submitConfirmPage(browser, token, 303, { password: GOOD_PASSWORD });
    expect(confirmed.headers.location).toBe('/account');
    expect(sessionCookieOf(confirmed)).toMatch(/^session=[A-Za-z0-9_-]{43}; .*HttpOnly; SameSite=Lax/);
    const account = await browser.get('/account').expect(200);
    expect(account.text).toContain('Your address is confirmed and your password is set. You are signed in.');
    expect(account.text).toContain('<strong id="account-email">chooser@example.com</strong>');
    // The same session as a sign-in's: listed, with this browser's name.
    expect(account.text.match(/<tbody>[\s\S]*?<\/tbody>/)![0].match(/<tr>/g)).toHaveLength(1);

    // The used link, a password given again (with a form token from another page): already confirmed, nobody signed in.
    const stranger = request.agent(stack.url);
    const formToken = csrfFrom((await stranger.get('/resend').expect(200)).text);
    const reused = await stranger
      .post(`/confirm/${token}`)
      .type('form')
      .send({ _csrf: formToken, password: 'another long passphrase' })
      .expect(200);
    expect(reused.text).toContain('Account already confirmed.');
    expect(sessionCookieOf(reused)).toBeUndefined();

    // No password: confirmed, and still signed out (codes are how such an account signs in).
    const codesOnly = request.agent(stack.url);
    const other = await signUp(stack, 'codes@example.com');
    const plain = await submitConfirmPage(codesOnly, other, 200);
    expect(plain.text).toContain('You have confirmed your account. Thanks!');
    expect(sessionCookieOf(plain)).toBeUndefined();
    await codesOnly.get('/account').expect(303).expect('location', '/sign-in');
  });

  it('states the password rules of PASSWORD_MIN_LENGTH beside every new-password field, through aria-describedby', async () => {
    const rules = 'At least 14 characters, any you like (spaces too). Common and breached passwords are refused.';
    const token = await signUp(stack, 'rules@example.com');
    expect(descriptionOf((await request(stack.url).get(`/confirm/${token}`).expect(200)).text, 'password')).toEqual([rules]);
    // A refused password: the rules, then why.
    const refused = await submitConfirmPage(request.agent(stack.url), token, 400, { password: 'thirteen char' });
    expect(descriptionOf(refused.text, 'password')).toEqual([rules, 'password must be at least 14 characters long']);

    await confirmedAccount(stack, 'rules.account@example.com');
    const browser = await signedInBrowser(stack, 'rules.account@example.com');
    expect(descriptionOf((await browser.get('/account').expect(200)).text, 'new-password')).toEqual([rules]);

    await request(stack.url).post('/api/password-resets').send({ email: 'rules.account@example.com' }).expect(202);
    const reset = pathToken(await latestEmail('rules.account@example.com', /Reset your password/), 'password-reset');
    expect(descriptionOf((await request(stack.url).get(`/password-reset/${reset}`).expect(200)).text, 'password')).toEqual([rules]);
  });
});
