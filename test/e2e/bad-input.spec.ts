import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminAuth, csrfFrom, userCount } from '../support/api.js';
import { backlog } from '../support/metrics.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

type Body = string | Record<string, unknown> | unknown[] | undefined;
interface Case {
  name: string;
  /** `api`: raw request to a REST path; `form`: a form post carrying this page's CSRF token unless overridden. */
  via: 'api' | 'form';
  path: string;
  body?: Body;
  type?: string;
  status: number;
  message: RegExp;
}

const JSON_TYPE = 'application/json';
const api = (name: string, path: string, body: Body, status: number, message: RegExp, type = JSON_TYPE): Case => ({
  name,
  via: 'api',
  path,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  type,
  status,
  message,
});
const form = (name: string, path: string, body: Record<string, unknown>, status: number, message: RegExp): Case => ({
  name,
  via: 'form',
  path,
  body,
  status,
  message,
});
const signup = (name: string, email: unknown, message: RegExp) => api(`REST sign-up: ${name}`, '/api/users', { email }, 400, message);
const signupForm = (name: string, email: string, message: RegExp) => form(`form sign-up: ${name}`, '/', { email }, 400, message);

const cases: Case[] = [
  // Malformed and hostile addresses
  signup('not an address', 'not-an-email', /like name@example\.com/),
  signup('empty', '', /must not be empty/),
  signup('only spaces', '   ', /must not be empty/),
  signup('overlong in all', `${'a'.repeat(64)}@${'b'.repeat(200)}.com`, /at most 254/),
  signup('overlong local part', `${'a'.repeat(65)}@example.com`, /at most 64/),
  signup('overlong domain label', `a@${'b'.repeat(64)}.com`, /domain/),
  signup('CR/LF header injection', 'a@b.com\r\nBcc: c@d.com', /control characters/),
  signup('trailing newline', 'a@b.com\n', /control characters/),
  signup('NUL byte', 'a\u0000@b.com', /control characters/),
  signup('tab inside', 'a\t b@b.com', /control characters/),
  signup('Cyrillic homoglyph', 'pаypal@example.com', /ASCII/),
  signup('zero-width space', 'ada\u200b@example.com', /ASCII/),
  signup('right-to-left override', 'ada\u202e@example.com', /ASCII/),
  signup('unicode domain (not punycode)', 'ada@exämple.com', /ASCII/),
  signup('fullwidth @', 'ada＠example.com', /ASCII/),
  signup('quoted local part', '"ada lovelace"@example.com', /part before the @/),
  signup('comment', 'ada(comment)@example.com', /part before the @/),
  signup('display name', 'Ada <ada@example.com>', /part before the @/),
  signup('list of addresses', 'a@b.com,c@d.com', /exactly one @/),
  signup('IP literal', 'ada@[127.0.0.1]', /not an IP address/),
  signup('bare IP domain', 'ada@192.168.0.1', /not an IP address/),
  signup('no TLD', 'ada@localhost', /domain/),
  signup('double dot in domain', 'ada@example..com', /domain/),
  signup('leading dot', '.ada@example.com', /part before the @/),
  // Wrong types and shapes
  signup('number', 42, /must be a string/),
  signup('boolean', true, /must be a string/),
  signup('null', null, /must be a string/),
  signup('nested object (operator injection)', { $ne: null }, /must be a string/),
  signup('array of addresses', ['a@b.com'], /must be a string/),
  api('top-level array', '/api/users', [{ email: 'a@b.com' }], 400, /must be a JSON object/),
  api('JSON string', '/api/users', '"a@b.com"', 400, /JSON/),
  api('unknown field', '/api/users', { email: 'a@b.com', admin: true }, 400, /property admin should not exist/),
  api('__proto__ key', '/api/users', '{"email":"a@b.com","__proto__":{"admin":true}}', 400, /forbidden key \(__proto__/),
  api(
    'constructor key',
    '/api/users',
    '{"email":"a@b.com","constructor":{"prototype":{"admin":true}}}',
    400,
    /forbidden key \(__proto__, constructor\)/,
  ),
  api('empty object', '/api/users', {}, 400, /must be a string/),
  { name: 'missing body', via: 'api', path: '/api/users', status: 400, message: /must be a string/ },
  api('malformed JSON', '/api/users', '{"email": "a@b.com"', 400, /JSON/),
  api('wrong content type (form encoding)', '/api/users', 'email=a@b.com', 415, /application\/json/, 'application/x-www-form-urlencoded'),
  api('wrong content type (text)', '/api/users', 'a@b.com', 415, /application\/json/, 'text/plain'),
  api('body over 10 kB', '/api/users', { email: `${'a'.repeat(11_000)}@b.com` }, 413, /too large/),
  // Resend and confirmation endpoints
  api('resend: invalid address', '/api/confirmations/resend', { email: 'nope' }, 400, /like name@example\.com/),
  api('resend: unknown field', '/api/confirmations/resend', { email: 'a@b.com', force: true }, 400, /property force should not exist/),
  api('confirm: missing token', '/api/confirmations', {}, 400, /token must be/),
  api('confirm: garbage token', '/api/confirmations', { token: '<script>' }, 400, /token must be/),
  api('confirm: truncated token', '/api/confirmations', { token: 'A'.repeat(42) }, 400, /token must be/),
  api('confirm: padded token', '/api/confirmations', { token: `${'A'.repeat(42)}=` }, 400, /token must be/),
  api('confirm: token as number', '/api/confirmations', { token: 12345 }, 400, /token must be/),
  api('confirm: token as array', '/api/confirmations', { token: ['A'.repeat(43)] }, 400, /token must be/),
  api('confirm: unknown (well-formed) token', '/api/confirmations', { token: 'A'.repeat(43) }, 404, /invalid/),
  // Forms
  signupForm('CR/LF', 'a@b.com\r\nBcc: c@d.com', /control characters/),
  signupForm('homoglyph', 'pаypal@example.com', /ASCII/),
  signupForm('quoted form', '"a"@example.com', /part before the @/),
  signupForm('IP literal', 'a@[10.0.0.1]', /not an IP address/),
  signupForm('empty', '', /must not be empty/),
  form('form sign-up: email given twice', '/', { email: ['a@b.com', 'c@d.com'] }, 400, /must be a string/),
  form('form sign-up: missing CSRF token', '/', { email: 'a@b.com', _csrf: undefined }, 403, /reload the page/),
  form('form sign-up: forged CSRF token', '/', { email: 'a@b.com', _csrf: 'forged' }, 403, /reload the page/),
  form('form resend: invalid address', '/resend', { email: 'a@@b.com' }, 400, /exactly one @|like name/),
  form('form resend: missing CSRF token', '/resend', { email: 'a@b.com', _csrf: undefined }, 403, /reload the page/),
  form('confirm button: missing CSRF token', `/confirm/${'A'.repeat(43)}`, { _csrf: undefined }, 403, /reload the page/),
  form('confirm button: tampered token', `/confirm/${'A'.repeat(43)}`, {}, 404, /invalid/),
  form('confirm button: malformed token', '/confirm/abc', {}, 400, /malformed/),
];

describe('bad input gets a clear 4xx and changes nothing', () => {
  let stack: Stack;
  let browser: ReturnType<typeof request.agent>;
  let csrf: string;

  beforeAll(async () => {
    stack = await startStack();
    browser = request.agent(stack.url);
    csrf = csrfFrom((await browser.get('/')).text);
  });
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  const jobCount = async () => Object.values(await stack.queue.getJobCounts()).reduce((a, b) => a + b, 0);
  /** Users, emails waiting for the relay, and jobs in any state: what a refused request must not change. */
  const state = async () => ({ users: await userCount(stack.url), outbox: (await backlog(stack.url)).outbox, jobs: await jobCount() });

  it('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  it.each(cases)('$name → $status', async ({ via, path, body, type, status, message }) => {
    const before = await state();
    let text: string;
    if (via === 'api') {
      let req = request(stack.url).post(path);
      if (type) req = req.set('Content-Type', type);
      const res = await req.send(body as string | undefined);
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ statusCode: status, error: expect.any(String) });
      text = [res.body.message].flat().join(' ');
    } else {
      const res = await browser
        .post(path)
        .type('form')
        .send({ _csrf: csrf, ...(body as object) });
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      text = res.text.replaceAll('&#x27;', "'").replaceAll('&amp;', '&');
    }
    expect(text).toMatch(message);
    expect(await state()).toEqual(before);
  });

  it('shows the form again with the error tied to the field and what was typed', async () => {
    const res = await browser.post('/').type('form').send({ email: 'ada@@example', _csrf: csrf }).expect(400);
    expect(res.text).toContain('aria-invalid="true"');
    expect(res.text).toContain('aria-describedby="email-error"');
    expect(res.text).toContain('value="ada@@example"');
  });

  it('escapes what the visitor typed when showing it back', async () => {
    const res = await browser.post('/').type('form').send({ email: '"><script>alert(1)</script>', _csrf: csrf }).expect(400);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;');
  });

  it('never answers a malformed percent-escape in the query with a 5xx', async () => {
    await request(stack.url).get('/health?email=%E0').expect(200);
    await request(stack.url).post('/api/users?email=%').send({ email: 'bad' }).expect(400);
    await request(stack.url).get('/api/admin/users?offset=1e21').set(adminAuth()).expect(400);
    await request(stack.url).get('/api/admin/users?offset=100000000000').set(adminAuth()).expect(400);
  });

  it('answers a 10 kB blank-padded address 400 at once, without holding up other requests', async () => {
    const body = JSON.stringify({ email: `a${' '.repeat(10_000)}b` }); // under the 10 kB body limit
    const timed = async (path: string, init?: RequestInit) => {
      const started = performance.now();
      const res = await fetch(`${stack.url}${path}`, init);
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - started };
    };
    const signUp = () => timed('/api/users', { method: 'POST', headers: { 'content-type': JSON_TYPE }, body });

    const alone = [await signUp(), await signUp(), await signUp()];
    expect(alone.map((r) => r.status)).toEqual([400, 400, 400]);
    expect(Math.min(...alone.map((r) => r.ms))).toBeLessThan(50);

    // Four at once with a liveness probe among them: a quadratic trim held the event loop ≈ 0.5 s each.
    const [live, ...padded] = await Promise.all([timed('/health/live'), signUp(), signUp(), signUp(), signUp()]);
    expect(padded.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    expect(live.status).toBe(200);
    expect(live.ms).toBeLessThan(150);
    expect(Math.max(...padded.map((r) => r.ms))).toBeLessThan(250);
  });

  it('answers unknown routes with 404 in the right format', async () => {
    const apiRes = await request(stack.url).get('/api/nothing').expect(404);
    expect(apiRes.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    const page = await request(stack.url).get('/nothing').expect(404);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('answers a malformed percent-escape in the path like any other error: page or JSON, security headers, request id', async () => {
    const page = await request(stack.url).get('/confirm/%E0%A4%A').expect(400);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('not a valid URL');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const api = await request(stack.url).post('/api/users/%E0%A4%A').send({ email: 'a@b.com' }).expect(400);
    expect(api.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'bad_url',
      message: 'The address is not a valid URL (check its %-escapes)',
    });
    expect(await userCount(stack.url)).toBe(0);
  });

  it('calls an over-long link invalid instead of refusing the URL, and matches paths case-insensitively', async () => {
    const res = await request(stack.url)
      .get(`/confirm/${'A'.repeat(150)}`)
      .expect(400);
    expect(res.text).toContain('This link does not work');
    expect(res.text).toContain('the token is malformed');
    await request(stack.url).get('/RESEND').expect(200);
  });
});
