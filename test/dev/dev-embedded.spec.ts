import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

  async function run(check: (url: string, ses: string, dev: Dev) => Promise<void>) {
    const [port, sesPort, closed] = await Promise.all([freePort(), freePort(), freePort()]);
    const dev = startDev({
      PATH: bin,
      HOME: process.env.HOME ?? '/root',
      PORT: String(port),
      APP_URL: `http://localhost:${port}`,
      SES_EMULATOR_PORT: String(sesPort),
      ADMIN_TOKEN,
      EMBEDDED_PG_DIR: join(data, 'postgres'),
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
      await check(url, `http://127.0.0.1:${sesPort}`, dev);
    } finally {
      await dev.stop();
      // Ctrl+C stops everything it started, the embedded PostgreSQL last.
      await waitFor(() => !existsSync(join(data, 'postgres', 'postmaster.pid')) || null, {
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
    'starts an embedded PostgreSQL and the PostgreSQL queue, delivers a confirmation email, and reuses the data next time',
    { timeout: 300_000 },
    async () => {
      const email = `dev.${Date.now()}@example.com`;
      const first = await run(async (url, ses) => {
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

      const second = await run(async (url) => {
        const res = await fetch(`${url}/api/admin/users?email=${encodeURIComponent(email)}`, {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        });
        expect(await res.json()).toEqual([expect.objectContaining({ email, emailSent: true })]);
      });
      expect(second).toMatch(/PostgreSQL: embedded, .*postgres · queue: PostgreSQL/);
      expect(second).not.toContain('(new)');
    },
  );
});
