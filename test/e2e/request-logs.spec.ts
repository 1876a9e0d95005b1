import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as pause } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runServices } from '../support/processes.js';
import { sample, scrape } from '../support/metrics.js';
import { adminAuth } from '../support/api.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { waitFor } from '../support/wait-for.js';

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  context?: string;
  [key: string]: unknown;
}

/** The JSON lines of a process's output (the AWS SDK's Node version notice is not JSON). */
const jsonLines = (output: string): LogLine[] =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);

describe('logs and the worker health port (real web and worker processes from dist/)', () => {
  let services: Awaited<ReturnType<typeof runServices>>;
  let workerUrl: string;

  beforeAll(async () => {
    const workerPort = await freePort();
    workerUrl = `http://127.0.0.1:${workerPort}`;
    services = await runServices({ LOG_LEVEL: 'debug', LOG_FORMAT: 'auto', WORKER_HEALTH_PORT: String(workerPort) });
    await waitFor(async () => (await fetch(`${workerUrl}/health`)).ok, { timeoutMs: 20_000, what: 'the worker health port' });
  });
  afterAll(async () => services?.stop());

  it('follows one registration by its request id from the web request line to the worker send line', async () => {
    const requestId = `trace-${Date.now()}`;
    const address = `Trace.Me-${Date.now()}@example.com`;
    const res = await fetch(`${services.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ email: address }),
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    await sesInbox.waitFor(address.toLowerCase());

    const webLine = await waitFor(
      () => jsonLines(services.web.output()).find((l) => l.requestId === requestId && l.msg === 'request completed'),
      { what: 'the web request line' },
    );
    expect(webLine).toMatchObject({ level: 30, req: { method: 'POST', url: '/api/users' }, res: { statusCode: 202 } });

    const workerLine = await waitFor(
      () => jsonLines(services.worker.output()).find((l) => l.requestId === requestId && /Email confirmation sent/.test(l.msg)),
      { what: 'the worker send line' },
    );
    expect(workerLine).toMatchObject({ context: 'MailProcessor', outboxId: expect.any(String) });

    // Across the sign-up, the confirmation and an admin call, neither process (at debug level)
    // prints the full address, the emailed token or a secret.
    const [email] = await sesInbox.to(address.toLowerCase());
    const token = linkToken(email);
    const confirmed = await fetch(`${services.url}/api/confirmations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(confirmed.status).toBe(200);
    expect((await fetch(`${services.url}/api/admin/users`, { headers: adminAuth() })).status).toBe(200);

    // Work done after the answer (a password-reset request) carries its request's id too.
    const resetRequestId = `reset-${Date.now()}`;
    const reset = await fetch(`${services.url}/api/password-resets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': resetRequestId },
      body: JSON.stringify({ email: address }),
    });
    expect(reset.status).toBe(202);
    await waitFor(
      () => jsonLines(services.worker.output()).find((l) => l.requestId === resetRequestId && /Email password-reset sent/.test(l.msg)),
      { what: 'the worker send line of the reset link' },
    );
    await new Promise((r) => setTimeout(r, 300)); // let the processes write their last lines
    for (const output of [services.web.output(), services.worker.output()]) {
      expect(output.toLowerCase()).not.toContain(address.toLowerCase());
      expect(output.toLowerCase()).not.toContain(address.split('@')[0].toLowerCase());
      expect(output).not.toContain(token);
      expect(output).not.toContain(process.env.APP_SECRET!);
      expect(output).not.toContain(process.env.ADMIN_TOKEN!);
    }
    expect(services.worker.output()).toContain('t***@e***.com'); // the send was logged, masked
  });

  it('generates a request id when none (or an unusable one, such as an address) comes in', async () => {
    for (const incoming of [undefined, 'has spaces in it', 'x'.repeat(300), 'ada@example.com']) {
      const res = await fetch(`${services.url}/health/live`, { headers: incoming ? { 'x-request-id': incoming } : {} });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('logs a request whose client went away before the answer, once, with its id and no status', async () => {
    const requestId = `gone-${Date.now()}`;
    const { hostname, port } = new URL(services.url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    // Half a body: the web is still reading it when the connection closes.
    socket.write(
      `POST /api/users HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n` +
        `X-Request-Id: ${requestId}\r\n\r\n{"email": "gone`,
    );
    await pause(200);
    socket.destroy();

    const line = await waitFor(() => jsonLines(services.web.output()).find((l) => l.requestId === requestId), {
      what: 'the aborted request line',
    });
    expect(line).toMatchObject({
      level: 30,
      msg: 'request aborted',
      req: { method: 'POST', url: '/api/users' },
      res: { statusCode: null },
    });
    await pause(200);
    expect(jsonLines(services.web.output()).filter((l) => l.requestId === requestId)).toHaveLength(1);
    expect(services.web.output()).not.toContain('dependency unavailable'); // the client's doing, not PostgreSQL's or Redis's
  });

  it('does not log health checks and metric scrapes, whatever the case of their path', async () => {
    for (const path of ['/health', '/health/live', '/health/sending', '/HEALTH', '/Metrics']) await fetch(`${services.url}${path}`);
    await fetch(`${services.url}/metrics`, { headers: { authorization: `Bearer ${process.env.ADMIN_TOKEN}` } });
    // A request that is logged, after them: once its line is there, theirs would be too.
    const marker = `/marker-${Date.now()}`;
    await fetch(`${services.url}${marker}`);
    await waitFor(() => jsonLines(services.web.output()).find((l) => (l.req as { url?: string } | undefined)?.url === marker), {
      what: 'the marker request line',
    });
    const urls = jsonLines(services.web.output()).map((l) => (l.req as { url?: string } | undefined)?.url ?? '');
    expect(urls.filter((url) => /^\/(health|metrics)/i.test(url))).toEqual([]);
  });

  it('keeps tokens out of logged URLs, whatever the case or %-escapes of the path', async () => {
    const token = 'A'.repeat(43);
    await fetch(`${services.url}/confirm/${token}`);
    const line = await waitFor(
      () => jsonLines(services.web.output()).find((l) => (l.req as { url?: string } | undefined)?.url?.startsWith('/confirm/')),
      { what: 'the confirm request line' },
    );
    expect((line.req as { url: string }).url).toBe('/confirm/[REDACTED]');

    // The router takes these to the confirm page too; a real pending link, so the page has its form.
    const address = `variants-${Date.now()}@example.com`;
    await fetch(`${services.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: address }),
    });
    const real = /\/confirm\/([A-Za-z0-9_-]+)/.exec((await sesInbox.waitFor(address))[0].body.text!)![1];
    const variants = [`/Confirm/${real}`, `/%63onfirm/${real}`, `/CONFIRM/${real}?utm_source=mail`, `/%63ONFIRM/${token}`];
    const pages = await Promise.all(
      variants.map(async (path) => {
        const res = await fetch(`${services.url}${path}`);
        return { status: res.status, text: await res.text() };
      }),
    );
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200, 404]);
    for (const page of pages.slice(0, 3)) expect(page.text).toContain(`action="/confirm/${real}"`); // the canonical path
    const logged = await waitFor(
      () => {
        const urls = jsonLines(services.web.output())
          .map((l) => (l.req as { url?: string } | undefined)?.url)
          .filter((url) => url && /^\/(%63|c)onfirm\//i.test(url));
        return urls.length >= 1 + variants.length ? urls : null;
      },
      { what: 'a request line for each variant' },
    );
    expect(logged).toEqual(
      expect.arrayContaining([
        '/Confirm/[REDACTED]',
        '/%63onfirm/[REDACTED]',
        '/CONFIRM/[REDACTED]?utm_source=mail',
        '/%63ONFIRM/[REDACTED]',
      ]),
    );
    expect(services.web.output()).not.toContain(token);
    expect(services.web.output()).not.toContain(real);
  });

  it('serves health and metrics on WORKER_HEALTH_PORT, and nothing else', async () => {
    // An internal port: details and metrics without the admin token.
    const health = await fetch(`${workerUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      details: { database: { status: 'up' }, redis: { status: 'up', waiting: expect.any(Number) } },
    });
    expect((await fetch(`${workerUrl}/health/live`)).status).toBe(200);
    const sending = await fetch(`${workerUrl}/health/sending`);
    expect(sending.status).toBe(200);
    expect(await sending.json()).toMatchObject({ details: { backlog: { status: 'up', max: 10000 } } });
    const metrics = await scrape(workerUrl, { token: '' });
    expect(sample(metrics, 'signup_emails_sent_total{kind="confirmation"}')).toBeGreaterThanOrEqual(1);
    const api = await fetch(`${workerUrl}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":"nope@example.com"}',
    });
    expect(api.status).toBe(404);
  });
});
