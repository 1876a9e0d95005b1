import { createChallenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { altchaSecrets } from '../../src/signup-guard/altcha-challenge.service.js';
import { latestEmail } from '../support/accounts.js';
import { payloadOf, solve, solvedAltcha, challengeFrom } from '../support/altcha.js';
import { csrfFrom, userCount } from '../support/api.js';
import { startDnsServer } from '../support/dns-server.js';
import { sample, scrape, waitUntilIdle } from '../support/metrics.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

const GUARDED = ['/api/users', '/api/confirmations/resend', '/api/sign-in-codes', '/api/password-resets'];
const MX_TIMEOUT_MS = 400;

/** What the loopback DNS server knows; any other name is NXDOMAIN. */
const ZONES = {
  'mail.test': { mx: [{ preference: 10, exchange: 'mx.mail.test' }] },
  'team.mailinator.com': { mx: [{ preference: 10, exchange: 'mx.mail.test' }] },
  'a-only.test': { a: ['192.0.2.1'] },
  'v6-only.test': { aaaa: ['2001:db8::1'] },
  'nullmx.test': { mx: [{ preference: 0, exchange: '.' }] },
  'nothing.test': {},
  'slow.test': { silent: true },
  'blocked.test': { mx: [{ preference: 10, exchange: 'mx.mail.test' }] },
};

describe('sign-up guard: ALTCHA, domain lists and MX check on the real stack', () => {
  let dns: Awaited<ReturnType<typeof startDnsServer>>;
  let stack: Stack;
  let second: Stack;
  let guardEnv: Record<string, string>;

  beforeAll(async () => {
    dns = await startDnsServer(ZONES);
    guardEnv = {
      SIGNUP_CHALLENGE: 'altcha',
      SIGNUP_CHALLENGE_COST: '1', // the tests solve hundreds of challenges; the cost itself is measured in bench/
      MX_CHECK: 'on',
      MX_CHECK_TIMEOUT_MS: String(MX_TIMEOUT_MS),
      DNS_SERVERS: dns.server,
      BLOCKED_EMAIL_DOMAINS: 'blocked.test',
      ALLOWED_EMAIL_DOMAINS: 'team.mailinator.com',
    };
    stack = await startStack(guardEnv);
    // A second web instance on the same database and rate-limit store, as behind a load balancer.
    second = await startStack(guardEnv, { worker: false });
  });
  afterAll(async () => {
    await second?.close();
    await stack?.close();
    await dns?.close();
  });
  beforeEach(async () => resetState(stack));

  const post = (url: string, path: string, body: Record<string, unknown>) => request(url).post(path).send(body);
  /** Asserts that nothing was done: no user, no email (after the queues are idle). */
  async function nothingChanged(): Promise<void> {
    await waitUntilIdle(stack.url);
    expect(await userCount(stack.url)).toBe(0);
    expect(await sesInbox.all()).toEqual([]);
  }

  /** How much a counter of `url`'s /metrics grows while `act` runs. */
  async function growth(series: string, act: () => Promise<void>, url = stack.url): Promise<number> {
    const before = sample(await scrape(url), series, { absentAs: 0 });
    await act();
    return sample(await scrape(url), series) - before;
  }

  it('gives a signed v2 challenge as altcha-lib makes it, never cached', async () => {
    const res = await request(stack.url).get('/api/challenge').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      parameters: {
        algorithm: 'PBKDF2/SHA-256',
        nonce: expect.stringMatching(/^[0-9a-f]{32}$/),
        salt: expect.stringMatching(/^[0-9a-f]{32}$/),
        cost: 1,
        keyLength: 32,
        keyPrefix: expect.stringMatching(/^[0-9a-f]{32}$/),
        keySignature: expect.stringMatching(/^[0-9a-f]{64}$/),
        expiresAt: expect.any(Number),
      },
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(res.body.parameters.expiresAt - Date.now() / 1000).toBeGreaterThan(290);
    expect(res.body.parameters.expiresAt - Date.now() / 1000).toBeLessThanOrEqual(300);
  });

  it('signs up with a solved challenge; the same solution is refused by the other web instance and by the same one', async () => {
    const altcha = await solvedAltcha(stack.url);
    await post(stack.url, '/api/users', { email: 'ada@mail.test', altcha }).expect(202);
    await latestEmail('ada@mail.test', /^Confirm your email address$/);

    for (const url of [second.url, stack.url]) {
      const counted = await growth(
        'signup_challenge_verifications_total{result="used"}',
        async () => {
          const replay = await post(url, '/api/users', { email: 'bob@mail.test', altcha }).expect(400);
          expect(replay.body).toMatchObject({ code: 'challenge_failed', message: expect.stringContaining('already used') });
        },
        url,
      );
      expect(counted).toBe(1);
    }
    await waitUntilIdle(stack.url);
    expect(await userCount(stack.url)).toBe(1);
    expect(await sesInbox.to('bob@mail.test')).toEqual([]);
  });

  it('accepts a solution issued by one instance at another (one secret, one store)', async () => {
    const altcha = await solve(await challengeFrom(second.url));
    await post(stack.url, '/api/users', { email: 'cy@mail.test', altcha }).expect(202);
  });

  it('refuses a missing, malformed, expired, wrongly signed or wrong solution with a message that says which, and changes nothing', async () => {
    const secrets = altchaSecrets(stack.env.APP_SECRET);
    const signed = (expiresAt: Date, signature = secrets.signature) =>
      createChallenge({
        algorithm: 'PBKDF2/SHA-256',
        cost: 1,
        counter: 3,
        deriveKey,
        hmacSignatureSecret: signature,
        hmacKeySignatureSecret: secrets.keySignature,
        expiresAt,
      });
    const solved = async (challenge: Awaited<ReturnType<typeof signed>>) =>
      payloadOf(challenge, (await solveChallenge({ challenge, deriveKey }))!);
    const fresh = await challengeFrom(stack.url);
    const right = (await solveChallenge({ challenge: fresh, deriveKey }))!;
    const cases: Array<[string, unknown, RegExp]> = [
      ['missing', undefined, /missing/],
      ['empty', '', /missing/],
      ['not base64', 'not a payload!', /malformed/],
      ['not a string', { challenge: fresh }, /malformed/],
      [
        'the widget test mode',
        Buffer.from(JSON.stringify({ challenge: null, solution: null, test: true })).toString('base64'),
        /malformed/,
      ],
      ['expired', await solved(await signed(new Date(Date.now() - 1000))), /expired/],
      [
        'signed with another key',
        await solved(await signed(new Date(Date.now() + 60_000), 'another-secret-another-secret-00')),
        /bad signature/,
      ],
      ['a tampered cost', payloadOf({ ...fresh, parameters: { ...fresh.parameters, cost: 2 } }, right), /bad signature/],
      [
        'a wrong key',
        payloadOf(fresh, { ...right, derivedKey: right.derivedKey.replace(/^../, (b) => (b === '00' ? '01' : '00')) }),
        /wrong/,
      ],
    ];
    const refusals = await growth('signup_refused_total{reason="challenge"}', async () => {
      for (const [what, altcha, message] of cases) {
        const res = await post(stack.url, '/api/users', { email: 'eve@mail.test', ...(altcha === undefined ? {} : { altcha }) });
        expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status: 400, code: 'challenge_failed' });
        expect(res.body.message, what).toMatch(message);
      }
    });
    expect(refusals).toBe(cases.length);
    await nothingChanged();
  });

  it('guards resend, sign-in codes and password resets too', async () => {
    for (const path of GUARDED.slice(1)) {
      const refused = await post(stack.url, path, { email: 'ada@mail.test' }).expect(400);
      expect(refused.body.code).toBe('challenge_failed');
      await post(stack.url, path, { email: 'ada@mail.test', altcha: await solvedAltcha(stack.url) }).expect(202);
    }
  });

  it('refuses disposable domains and their subdomains, naming the domain', async () => {
    for (const domain of ['mailinator.com', 'eu.mailinator.com', 'yopmail.com']) {
      const res = await post(stack.url, '/api/users', { email: `x@${domain}`, altcha: await solvedAltcha(stack.url) }).expect(400);
      expect(res.body).toMatchObject({
        code: 'disposable_domain',
        message: `Addresses at ${domain} are disposable; please use a permanent one`,
      });
    }
    await nothingChanged();
    expect(sample(await scrape(stack.url), 'signup_refused_total{reason="disposable"}')).toBe(3);
  });

  it('refuses BLOCKED_EMAIL_DOMAINS (subdomains included) and accepts ALLOWED_EMAIL_DOMAINS even inside a disposable one', async () => {
    const refusals = await growth('signup_refused_total{reason="blocked"}', async () => {
      for (const domain of ['blocked.test', 'eu.blocked.test']) {
        const res = await post(stack.url, '/api/users', { email: `x@${domain}`, altcha: await solvedAltcha(stack.url) }).expect(400);
        expect(res.body).toMatchObject({ code: 'blocked_domain', message: expect.stringContaining(domain) });
      }
    });
    expect(refusals).toBe(2);
    expect(dns.queries('blocked.test')).toBe(0); // refused before any DNS
    await post(stack.url, '/api/users', { email: 'x@team.mailinator.com', altcha: await solvedAltcha(stack.url) }).expect(202);
  });

  it('refuses domains that cannot receive mail (null MX, no MX/A/AAAA, no such domain), caching the answer', async () => {
    const refusals = await growth('signup_refused_total{reason="no_mx"}', async () => {
      for (const domain of ['nullmx.test', 'nothing.test', 'missing.test']) {
        const res = await post(stack.url, '/api/users', { email: `x@${domain}`, altcha: await solvedAltcha(stack.url) }).expect(400);
        expect(res.body).toMatchObject({ code: 'domain_cannot_receive_mail', message: `${domain} does not receive email` });
      }
    });
    expect(refusals).toBe(3);
    const asked = dns.queries('nullmx.test');
    const cached = await growth('mx_lookups_total{result="cached"}', async () => {
      await post(stack.url, '/api/users', { email: 'y@nullmx.test', altcha: await solvedAltcha(stack.url) }).expect(400);
    });
    expect({ cached, asked: dns.queries('nullmx.test') }).toEqual({ cached: 1, asked });
    await nothingChanged();
  });

  it('accepts a domain with only an A or AAAA record (the implicit MX)', async () => {
    for (const domain of ['a-only.test', 'v6-only.test']) {
      await post(stack.url, '/api/users', { email: `x@${domain}`, altcha: await solvedAltcha(stack.url) }).expect(202);
    }
  });

  it('accepts when DNS does not answer in time (fails open) and counts it', async () => {
    const altcha = await solvedAltcha(stack.url);
    const timeouts = await growth('mx_lookups_total{result="timeout"}', async () => {
      const started = Date.now();
      await post(stack.url, '/api/users', { email: 'x@slow.test', altcha }).expect(202);
      expect(Date.now() - started).toBeGreaterThanOrEqual(MX_TIMEOUT_MS - 50);
      expect(Date.now() - started).toBeLessThan(MX_TIMEOUT_MS + 1500);
    });
    expect(timeouts).toBe(1);
  });

  it('shows a refusal on the form next to its field, and changes nothing', async () => {
    const agent = request.agent(stack.url);
    const page = await agent.get('/').expect(200);
    expect(page.text).toContain('<altcha-widget challenge="/api/challenge" name="altcha"');
    expect(page.text).toContain('src="/altcha/altcha.js"');

    const disposable = await agent
      .post('/')
      .type('form')
      .send({ email: 'x@mailinator.com', _csrf: csrfFrom(page.text), altcha: await solvedAltcha(stack.url) })
      .expect(400);
    expect(disposable.text).toContain(
      '<p id="email-error" class="field-error">Addresses at mailinator.com are disposable; please use a permanent one</p>',
    );
    expect(disposable.text).toMatch(/id="email"[^>]*aria-invalid="true" aria-describedby="email-error"/);

    const unsolved = await agent
      .post('/')
      .type('form')
      .send({ email: 'x@mail.test', _csrf: csrfFrom(disposable.text) })
      .expect(400);
    expect(unsolved.text).toMatch(/<p id="challenge-error" class="field-error" role="alert">The automatic anti-bot check did not pass/);
    expect(unsolved.text).toContain('aria-describedby="challenge-error"');
    await nothingChanged();
  });

  it('guards the resend, sign-in code and password-reset forms, and the new-link form of a broken confirmation link', async () => {
    for (const [pagePath, action, status] of [
      ['/resend', '/resend', 200],
      ['/sign-in', '/sign-in/code', 200],
      ['/password-reset', '/password-reset', 200],
      [`/confirm/${'A'.repeat(43)}`, '/resend', 404],
    ] as const) {
      const agent = request.agent(stack.url);
      const page = await agent.get(pagePath).expect(status);
      expect(page.text, pagePath).toContain('<altcha-widget');
      const refused = await agent
        .post(action)
        .type('form')
        .send({ email: 'x@mailinator.com', _csrf: csrfFrom(page.text) })
        .expect(400);
      expect(refused.text, action).toContain('id="challenge-error"');
      const disposable = await agent
        .post(action)
        .type('form')
        .send({ email: 'x@mailinator.com', _csrf: csrfFrom(refused.text), altcha: await solvedAltcha(stack.url) })
        .expect(400);
      expect(disposable.text, action).toContain('Addresses at mailinator.com are disposable; please use a permanent one');
    }
  });

  it('serves the widget from this service, under the strict CSP', async () => {
    for (const file of ['altcha.js', 'altcha.css', 'pbkdf2.js', 'setup.js']) {
      const res = await request(stack.url).get(`/altcha/${file}`).expect(200);
      expect(res.text.length, file).toBeGreaterThan(100);
    }
    await request(stack.url).get('/altcha/..%2Fpackage.json').expect(404);
    const page = await request(stack.url).get('/').expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self';");
  });

  it('answers the same for new, unconfirmed and confirmed addresses: the same challenge and the same refusals', async () => {
    // Two known addresses at mail.test, then an operator blocks mail.test on another instance.
    await post(stack.url, '/api/users', { email: 'pending@mail.test', altcha: await solvedAltcha(stack.url) }).expect(202);
    await post(stack.url, '/api/users', { email: 'done@mail.test', altcha: await solvedAltcha(stack.url) }).expect(202);
    const token = linkToken(await latestEmail('done@mail.test', /^Confirm your email address$/));
    await request(stack.url).post('/api/confirmations').send({ token }).expect(200);
    const blocking = await startStack({ ...guardEnv, BLOCKED_EMAIL_DOMAINS: 'blocked.test,mail.test' }, { worker: false });
    try {
      const kinds = ['new@mail.test', 'pending@mail.test', 'done@mail.test'];
      for (const path of GUARDED) {
        for (const [url, altcha] of [
          [stack.url, undefined],
          [blocking.url, 'solve'],
        ] as const) {
          const answers = [];
          for (const email of kinds) {
            const res = await post(url, path, { email, ...(altcha ? { altcha: await solvedAltcha(url) } : {}) });
            answers.push({ status: res.status, body: res.body as unknown });
          }
          expect(answers[0].status, path).toBe(400);
          expect(answers[1], path).toEqual(answers[0]);
          expect(answers[2], path).toEqual(answers[0]);
        }
      }
    } finally {
      await blocking.close();
    }
  });
});

describe('sign-up guard switched off (the default outside production)', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({}, { worker: false })));
  afterAll(async () => stack?.close());

  it('has no challenge route and asks for none; disposable domains are still refused', async () => {
    await request(stack.url).get('/api/challenge').expect(404);
    await request(stack.url).post('/api/users').send({ email: 'ada@example.com' }).expect(202);
    const page = await request(stack.url).get('/').expect(200);
    expect(page.text).not.toContain('altcha');
    const res = await request(stack.url).post('/api/users').send({ email: 'x@mailinator.com' }).expect(400);
    expect(res.body.code).toBe('disposable_domain');
  });
});

/** Turnstile's and hCaptcha's siteverify, as a stand-in on loopback: `good-…` tokens pass once, `slow` never answers. */
async function startSiteverify() {
  const used = new Set<string>();
  const calls: Array<Record<string, string>> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      calls.push(form);
      if (form.response === 'slow') return; // never answers
      const success = form.response.startsWith('good-') && !used.has(form.response);
      used.add(form.response);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(success ? { success } : { success, 'error-codes': ['timeout-or-duplicate'] }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/siteverify`,
    calls,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.each(['turnstile', 'hcaptcha'] as const)('sign-up guard with %s, verified server-side', (provider) => {
  let stack: Stack;
  let siteverify: Awaited<ReturnType<typeof startSiteverify>>;
  beforeAll(async () => {
    siteverify = await startSiteverify();
    stack = await startStack(
      {
        SIGNUP_CHALLENGE: provider,
        SIGNUP_CHALLENGE_SECRET: 'stand-in-secret',
        SIGNUP_CHALLENGE_SITE_KEY: 'stand-in-site-key',
        SIGNUP_CHALLENGE_VERIFY_URL: siteverify.url,
      },
      { worker: false },
    );
  });
  afterAll(async () => {
    await stack?.close();
    await siteverify?.close();
  });
  beforeEach(async () => resetState(stack));

  it('accepts a token siteverify accepts (once), refuses a missing or refused one, and has no ALTCHA route', async () => {
    await request(stack.url).get('/api/challenge').expect(404);
    const token = `good-${provider}-${Date.now()}`;
    await request(stack.url).post('/api/users').send({ email: 'ada@example.com', captcha: token }).expect(202);
    expect(siteverify.calls.at(-1)).toMatchObject({ secret: 'stand-in-secret', response: token, remoteip: '127.0.0.1' });
    for (const captcha of [token, undefined, 'refused-token']) {
      const res = await request(stack.url).post('/api/users').send({ email: 'bob@example.com', captcha }).expect(400);
      expect(res.body.code).toBe('challenge_failed');
    }
    expect(await userCount(stack.url)).toBe(1);
  });

  it('answers 503 with a message when siteverify does not answer in time, and lets nothing through', async () => {
    const started = Date.now();
    const res = await request(stack.url).post('/api/users').send({ email: 'ada@example.com', captcha: 'slow' }).expect(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body).toMatchObject({ code: 'challenge_unavailable', message: expect.stringContaining('could not be verified') });
    expect(await userCount(stack.url)).toBe(0);
  });

  it("puts the provider's widget in the form, allows its host in the CSP, and takes the token from its own form field", async () => {
    const agent = request.agent(stack.url);
    const page = await agent.get('/').expect(200);
    expect(page.text).toContain('data-sitekey="stand-in-site-key"');
    const host = provider === 'turnstile' ? 'https://challenges.cloudflare.com' : 'https://js.hcaptcha.com';
    expect(page.text).toContain(`src="${host}`);
    expect(page.headers['content-security-policy']).toContain(provider === 'turnstile' ? host : 'https://*.hcaptcha.com');
    const field = provider === 'turnstile' ? 'captcha' : 'h-captcha-response';
    await agent
      .post('/')
      .type('form')
      .send({ email: 'form@example.com', _csrf: csrfFrom(page.text), [field]: `good-form-${Date.now()}` })
      .expect(303);
    expect(await userCount(stack.url)).toBe(1);
  });
});
