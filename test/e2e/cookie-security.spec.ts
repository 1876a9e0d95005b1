import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmedAccount, GOOD_PASSWORD } from '../support/accounts.js';
import { csrfFrom } from '../support/api.js';
import { startStack, type Stack } from '../support/stack.js';

const setCookies = (res: request.Response): string[] => [res.headers['set-cookie'] ?? []].flat();
const cookieName = (cookie: string) => cookie.slice(0, cookie.indexOf('='));
const attributes = (cookie: string) => cookie.split('; ').slice(1);
/** What a browser sends back: `name=value` of each cookie. */
const cookieHeader = (cookies: string[]) => cookies.map((c) => c.split(';')[0]).join('; ');

// A browser talks to the service through APP_URL; supertest reaches the same app on loopback and
// sends the cookies back itself, as the browser would over https.
describe('with an https APP_URL (NODE_ENV=test): Secure cookies, __Host- session and CSRF cookies', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ APP_URL: 'https://signup.example.test' })));
  afterAll(async () => stack?.close());

  it('signs in through the page with a __Host-session cookie that keeps the browser signed in', async () => {
    const email = await confirmedAccount(stack, 'secure.cookies@example.com');
    const page = await request(stack.url).get('/sign-in').expect(200);
    const formCookies = setCookies(page);
    expect(formCookies.map(cookieName).sort()).toEqual(['__Host-csrf', 'sid']);
    for (const cookie of formCookies)
      expect(attributes(cookie)).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'Secure', 'SameSite=Lax']));

    const signedIn = await request(stack.url)
      .post('/sign-in')
      .set('Cookie', cookieHeader(formCookies))
      .type('form')
      .send({ email, password: GOOD_PASSWORD, _csrf: csrfFrom(page.text) })
      .expect(303);
    const session = setCookies(signedIn).find((c) => cookieName(c) === '__Host-session');
    expect(session).toBeDefined();
    expect(attributes(session!)).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'Secure', 'SameSite=Lax']));
    expect(session).not.toMatch(/Domain=/i);

    const account = await request(stack.url)
      .get('/account')
      .set('Cookie', cookieHeader([session!]))
      .expect(200);
    expect(account.text).toContain(email);
    // The same token under the plain name is not a session here.
    const plain = cookieHeader([session!]).replace('__Host-session=', 'session=');
    await request(stack.url).get('/account').set('Cookie', plain).expect(303);
  });
});

describe('with an http APP_URL in production: no Secure, no __Host- prefix (a browser would drop them over http)', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ NODE_ENV: 'production', APP_URL: 'http://localhost:3000' }, { worker: false })));
  afterAll(async () => stack?.close());

  it('sets plain HttpOnly, SameSite=Lax cookies', async () => {
    const cookies = setCookies(await request(stack.url).get('/sign-in').expect(200));
    expect(cookies.map(cookieName).sort()).toEqual(['csrf', 'sid']);
    for (const cookie of cookies) {
      expect(attributes(cookie)).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax']));
      expect(attributes(cookie)).not.toContain('Secure');
    }
  });
});
