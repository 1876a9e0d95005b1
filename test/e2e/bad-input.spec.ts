import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countRows, resetState, startStack, type Stack } from '../support/stack.js';

interface Case {
  name: string;
  path: string;
  body?: string;
  type?: string;
  status: number;
  message: RegExp;
}

const json = 'application/json';
const email = (value: unknown) => JSON.stringify({ email: value });

const cases: Case[] = [
  { name: 'invalid address', path: '/api/users', body: email('not-an-email'), type: json, status: 400, message: /like name@example\.com/ },
  { name: 'empty address', path: '/api/users', body: email(''), type: json, status: 400, message: /must not be empty/ },
  { name: 'overlong address', path: '/api/users', body: email(`${'a'.repeat(64)}@${'b'.repeat(200)}.com`), type: json, status: 400, message: /at most 254/ },
  { name: 'CR/LF injection', path: '/api/users', body: email('a@b.com\r\nBcc: c@d.com'), type: json, status: 400, message: /control characters/ },
  { name: 'NUL byte', path: '/api/users', body: email('a\u0000@b.com'), type: json, status: 400, message: /control characters/ },
  { name: 'number instead of string', path: '/api/users', body: email(42), type: json, status: 400, message: /must be a string/ },
  { name: 'nested object', path: '/api/users', body: email({ $ne: null }), type: json, status: 400, message: /must be a string/ },
  { name: 'array of addresses', path: '/api/users', body: email(['a@b.com']), type: json, status: 400, message: /must be a string/ },
  { name: 'unknown field', path: '/api/users', body: JSON.stringify({ email: 'a@b.com', admin: true }), type: json, status: 400, message: /property admin should not exist/ },
  { name: 'missing body', path: '/api/users', status: 400, message: /must be a string/ },
  { name: 'empty JSON object', path: '/api/users', body: '{}', type: json, status: 400, message: /must be a string/ },
  { name: 'malformed JSON', path: '/api/users', body: '{"email": "a@b.com"', type: json, status: 400, message: /JSON/ },
  { name: 'wrong content type', path: '/api/users', body: 'email=a@b.com', type: 'application/x-www-form-urlencoded', status: 415, message: /application\/json/ },
  { name: 'text/plain body', path: '/api/users', body: 'a@b.com', type: 'text/plain', status: 415, message: /application\/json/ },
  { name: 'body over 10 kB', path: '/api/users', body: email(`${'a'.repeat(11_000)}@b.com`), type: json, status: 413, message: /too large/ },
  { name: 'resend: invalid address', path: '/api/confirmations/resend', body: email('nope'), type: json, status: 400, message: /like name@example\.com/ },
  { name: 'confirm: missing token', path: '/api/confirmations', body: '{}', type: json, status: 400, message: /token must be/ },
  { name: 'confirm: garbage token', path: '/api/confirmations', body: JSON.stringify({ token: '<script>' }), type: json, status: 400, message: /token must be/ },
  { name: 'confirm: token as number', path: '/api/confirmations', body: JSON.stringify({ token: 12345 }), type: json, status: 400, message: /token must be/ },
];

describe('bad input gets a clear 4xx and changes nothing', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack()));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  const jobCount = async () => Object.values(await stack.queue.getJobCounts()).reduce((a, b) => a + b, 0);

  it.each(cases)('$name → $status', async ({ path, body, type, status, message }) => {
    const before = { rows: await countRows(stack), jobs: await jobCount() };
    let req = request(stack.url).post(path);
    if (type) req = req.set('Content-Type', type);
    const res = await req.send(body);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ statusCode: status, error: expect.any(String) });
    expect([res.body.message].flat().join(' ')).toMatch(message);
    expect({ rows: await countRows(stack), jobs: await jobCount() }).toEqual(before);
  });

  it('shows the form again with the error tied to the field, and stores nothing', async () => {
    const agent = request.agent(stack.url);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/')).text)![1];
    const res = await agent.post('/').type('form').send({ email: 'ada@@example', _csrf: csrf }).expect(400);
    expect(res.text).toContain('aria-invalid="true"');
    expect(res.text).toContain('id="email-error"');
    expect(res.text).toContain('value="ada@@example"');
    expect((await countRows(stack)).users).toBe(0);
  });

  it('escapes what the visitor typed when showing it back', async () => {
    const agent = request.agent(stack.url);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/')).text)![1];
    const res = await agent.post('/').type('form').send({ email: '"><script>alert(1)</script>', _csrf: csrf }).expect(400);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;');
  });

  it('refuses a form without a valid CSRF token with a friendly page', async () => {
    const agent = request.agent(stack.url);
    await agent.get('/');
    for (const csrf of [undefined, 'forged', '']) {
      const res = await agent.post('/').type('form').send({ email: 'ada@example.com', _csrf: csrf }).expect(403);
      expect(res.text).toContain('reload the page and try again');
    }
    expect((await countRows(stack)).users).toBe(0);
  });

  it('answers unknown routes with 404 in the right format', async () => {
    const api = await request(stack.url).get('/api/nothing').expect(404);
    expect(api.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    const page = await request(stack.url).get('/nothing').expect(404);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });
});
