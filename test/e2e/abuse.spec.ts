import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { latestEmail } from '../support/accounts.js';
import { adminToken, csrfFrom, userCount } from '../support/api.js';
import { waitUntilIdle } from '../support/metrics.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const COOLDOWN_S = 2;
const LINK = 'Confirm your email address';
const NOTICE = 'Someone tried to sign up with your address';
/** Lets the resend cooldown of every address run out (the test runs with a short one). */
const cooldownOver = () => pause(COOLDOWN_S * 1000 + 100);

describe('no account enumeration, notices and cooldowns', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ RESEND_COOLDOWN_SECONDS: String(COOLDOWN_S) })));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  /** Three addresses: never seen, registered but unconfirmed, registered and confirmed. */
  async function threeKinds() {
    await request(stack.url).post('/api/users').send({ email: 'pending@example.com' }).expect(202);
    await request(stack.url).post('/api/users').send({ email: 'done@example.com' }).expect(202);
    const token = linkToken((await sesInbox.waitFor('done@example.com'))[0]);
    await request(stack.url).post('/api/confirmations').send({ token }).expect(200);
    await sesInbox.waitFor('pending@example.com');
    await cooldownOver();
    return ['new@example.com', 'pending@example.com', 'done@example.com'];
  }

  const comparable = (res: request.Response) => {
    // Date and the random per-request id differ between any two requests.
    const { date, 'x-request-id': requestId, ...headers } = res.headers;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    return { status: res.status, headers, body: res.body, text: res.text };
  };

  it.each([
    ['POST /api/users', '/api/users'],
    ['POST /api/confirmations/resend', '/api/confirmations/resend'],
  ])('%s answers field by field the same for new, unconfirmed and confirmed addresses', async (_, path) => {
    const answers = [];
    for (const email of await threeKinds()) answers.push(comparable(await request(stack.url).post(path).send({ email })));
    expect(answers[0].status).toBe(202);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('answers the sign-up form the same for the three kinds of address', async () => {
    const answers = [];
    for (const email of await threeKinds()) {
      const agent = request.agent(stack.url);
      const csrf = csrfFrom((await agent.get('/')).text);
      const posted = await agent.post('/').type('form').send({ email, _csrf: csrf });
      const shown = await agent.get('/');
      answers.push({
        status: posted.status,
        location: posted.headers.location,
        page: shown.text.replace(/name="_csrf" value="[^"]+"/, ''),
      });
    }
    expect(answers[0].status).toBe(303);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('re-sends a link to an unconfirmed address and a short notice to a confirmed one', async () => {
    await threeKinds();
    await sesInbox.clear();
    for (const email of ['pending@example.com', 'done@example.com']) {
      await request(stack.url).post('/api/users').send({ email }).expect(202);
    }
    const [link] = await sesInbox.waitFor('pending@example.com');
    expect(link.subject).toBe(LINK);
    // The new link works: it confirms the address.
    const confirmed = await request(stack.url)
      .post('/api/confirmations')
      .send({ token: linkToken(link) })
      .expect(200);
    expect(confirmed.body).toEqual({ status: 'confirmed', email: 'pending@example.com' });
    // (whatever else a confirmed address may have been sent meanwhile)
    const notice = await latestEmail('done@example.com', new RegExp(`^${NOTICE}$`));
    expect(notice.body.text).toContain('already registered and confirmed');
    expect(notice.body.text).not.toMatch(/\/confirm\//);
    expect(notice.body.html).toContain('already registered and confirmed');
    expect(await userCount(stack.url)).toBe(2);
  });

  it('sends nothing more within the cooldown, whatever the kind of address', async () => {
    await threeKinds();
    // One email each claims the cooldown; everything else within it sends nothing.
    for (const email of ['pending@example.com', 'done@example.com']) {
      await request(stack.url).post('/api/users').send({ email }).expect(202);
      await request(stack.url).post('/api/confirmations/resend').send({ email }).expect(202);
      await request(stack.url).post('/api/users').send({ email }).expect(202);
    }
    await waitUntilIdle(stack.url);
    expect(await sesInbox.to('pending@example.com')).toHaveLength(2);
    expect(await sesInbox.to('done@example.com', LINK)).toHaveLength(1);
    expect(await sesInbox.to('done@example.com', NOTICE)).toHaveLength(1);
  });

  it('turns 50 concurrent sign-ups of one address in different cases into one user and one email', async () => {
    const variants = Array.from({ length: 50 }, (_, i) =>
      [...'race.case@example.com'].map((c, j) => ((i >> (j % 6)) & 1 ? c.toUpperCase() : c)).join(''),
    );
    expect(new Set(variants).size).toBeGreaterThan(30);
    const answers = await Promise.all(variants.map((email) => request(stack.url).post('/api/users').send({ email })));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([202]));
    await sesInbox.waitFor('race.case@example.com');
    await waitUntilIdle(stack.url);
    expect(await sesInbox.to('race.case@example.com')).toHaveLength(1);
    expect(await userCount(stack.url)).toBe(1);
  });

  it('lets exactly one of 20 concurrent resends through once the cooldown has passed', async () => {
    await request(stack.url).post('/api/users').send({ email: 'cool@example.com' }).expect(202);
    await sesInbox.waitFor('cool@example.com');
    await cooldownOver();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => request(stack.url).post('/api/confirmations/resend').send({ email: 'cool@example.com' })),
    );
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([202]));
    await sesInbox.waitFor('cool@example.com', 2);
    await waitUntilIdle(stack.url);
    expect(await sesInbox.to('cool@example.com')).toHaveLength(2);
  });
});

describe('per-client-IP rate limits (RATE_LIMIT_PER_MINUTE=3)', () => {
  // Each test counts against budgets of its own (another action, or another client address behind
  // a trusted proxy), so they pass in any order without clearing the counters.
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ RATE_LIMIT_PER_MINUTE: '3' }, { worker: false })));
  afterAll(async () => stack?.close());

  it('answers 429 with Retry-After past the limit, counting REST and form sign-ups together', async () => {
    const users0 = await userCount(stack.url);
    await request(stack.url).post('/api/users').send({ email: 'r1@example.com' }).expect(202);
    await request(stack.url).post('/api/users').send({ email: 'r2@example.com' }).expect(202);
    const agent = request.agent(stack.url);
    const csrf = csrfFrom((await agent.get('/')).text);
    await agent.post('/').type('form').send({ email: 'r3@example.com', _csrf: csrf }).expect(303);

    const limited = await request(stack.url).post('/api/users').send({ email: 'r4@example.com' }).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'too_many_requests',
      message: 'Too many requests from your address. Please wait a minute and try again.',
    });
    const page = await agent.post('/').type('form').send({ email: 'r5@example.com', _csrf: csrf }).expect(429);
    expect(page.text).toContain('Please wait a minute');
    expect(await userCount(stack.url)).toBe(users0 + 3);

    // Another action has its own budget.
    await request(stack.url).post('/api/confirmations/resend').send({ email: 'r1@example.com' }).expect(202);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says so', async () => {
    for (let i = 0; i < 3; i++) {
      await request(stack.url)
        .post('/api/confirmations')
        .set('X-Forwarded-For', `203.0.113.${i}`)
        .send({ token: 'A'.repeat(43) })
        .expect(404);
    }
    await request(stack.url)
      .post('/api/confirmations')
      .set('X-Forwarded-For', '203.0.113.99')
      .send({ token: 'A'.repeat(43) })
      .expect(429);

    // By address, and by hop count: one proxy in front means the last X-Forwarded-For entry is the client.
    for (const [n, TRUST_PROXY] of ['loopback', '1'].entries()) {
      const proxied = await startStack({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY }, { worker: false });
      const client = `203.0.113.${50 + n}`;
      try {
        for (let i = 0; i < 5; i++) {
          await request(proxied.url)
            .post('/api/confirmations')
            .set('X-Forwarded-For', `198.51.100.7, 203.0.113.${10 * n + i}`)
            .send({ token: 'A'.repeat(43) })
            .expect(404);
        }
        for (let i = 0; i < 3; i++) {
          await request(proxied.url)
            .post('/api/confirmations')
            .set('X-Forwarded-For', client)
            .send({ token: 'A'.repeat(43) })
            .expect(404);
        }
        await request(proxied.url)
          .post('/api/confirmations')
          .set('X-Forwarded-For', client)
          .send({ token: 'A'.repeat(43) })
          .expect(429);
      } finally {
        await proxied.close();
      }
    }
  });

  it('counts IPv6 clients by /64, and by /56 and /48 with a wider budget, so walking through one allocation does not help', async () => {
    const proxied = await startStack({ RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'loopback' }, { worker: false });
    try {
      await resetState(proxied);
      const confirm = (client: string) =>
        request(proxied.url)
          .post('/api/confirmations')
          .set('X-Forwarded-For', client)
          .send({ token: 'A'.repeat(43) });
      // Two requests from each of four /64s of one /56 spend that /56's budget (2 × 4)...
      for (let net = 0; net < 4; net++) for (let host = 1; host <= 2; host++) await confirm(`2001:db8:0:a${net}::${host}`).expect(404);
      // ...so a fifth /64 of the same /56, fresh as it is, is refused;
      await confirm('2001:db8:0:a4::1').expect(429);
      // another /56 of the same /48 is not (the /48 allows 2 × 16);
      await confirm('2001:db8:0:100::1').expect(404);
      // and IPv4 clients are counted by address only.
      await confirm('198.51.100.20').expect(404);
    } finally {
      await proxied.close();
    }
  });

  it('locks an address out of admin after 10 wrong tokens, even with the right one, and only that address', async () => {
    // The locked-out client is an address behind a trusted proxy, not this machine: the lockout
    // lasts 15 minutes and must not lock the rest of the suite out of admin.
    const proxied = await startStack({ TRUST_PROXY: 'loopback' }, { worker: false });
    try {
      const from = (ip: string, token: string) =>
        request(proxied.url).get('/api/admin/users').set('X-Forwarded-For', ip).set('Authorization', `Bearer ${token}`);
      for (let i = 0; i < 9; i++) await from('198.51.100.66', `wrong-${i}`).expect(401);
      await from('198.51.100.66', adminToken()).expect(200); // nine are not yet a lockout
      await from('198.51.100.66', 'wrong-9').expect(401);
      const locked = await from('198.51.100.66', adminToken()).expect(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
      await from('198.51.100.67', adminToken()).expect(200);
      await request(proxied.url).get('/api/admin/users').set('Authorization', `Bearer ${adminToken()}`).expect(200);
    } finally {
      await proxied.close();
    }
  });

  it('locks out a whole IPv6 /64 like the rate limits count it, keeping no address in Redis', async () => {
    const proxied = await startStack({ TRUST_PROXY: 'loopback' }, { worker: false });
    try {
      await resetState(proxied);
      const admin = (client: string, token: string) =>
        request(proxied.url).get('/api/admin/users').set('X-Forwarded-For', client).set('Authorization', `Bearer ${token}`);
      // Ten wrong tokens, each from another address of one /64.
      for (let i = 1; i <= 10; i++) await admin(`2001:db8:1:2::${i.toString(16)}`, `wrong-${i}`).expect(401);
      const locked = await admin('2001:db8:1:2:ffff:ffff:ffff:ffff', process.env.ADMIN_TOKEN!).expect(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      // The next /64 and IPv4 clients are not affected.
      await admin('2001:db8:1:3::1', process.env.ADMIN_TOKEN!).expect(200);
      await admin('198.51.100.1', process.env.ADMIN_TOKEN!).expect(200);

      // The lockout is there (a counter and its block), under an opaque key.
      const counters = await proxied.testApi.rateLimits.counters();
      expect(counters.some((c) => c.blocked)).toBe(true);
      for (const { key } of counters) expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    } finally {
      await proxied.close();
    }
  });
});

describe('headers and cookies in production', () => {
  let stack: Stack;
  // Secure follows APP_URL's scheme (cookie-security.spec.ts): production sits behind https.
  beforeAll(async () => (stack = await startStack({ NODE_ENV: 'production', APP_URL: 'https://signup.example.test' }, { worker: false })));
  afterAll(async () => stack?.close());

  it('sets HttpOnly, SameSite=Lax, Secure cookies and a strict CSP on the pages', async () => {
    const res = await request(stack.url).get('/').expect(200);
    const cookies: string[] = [res.headers['set-cookie']].flat();
    expect(cookies.length).toBeGreaterThanOrEqual(2);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Secure/);
    }
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
