import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './processes.js';
import { waitFor } from './wait-for.js';

/**
 * A Redis server of the test's own, on its own port, that the test may stop and start again
 * (by default with its data kept in an append-only file, as a production Redis would).
 */
export async function startOwnRedis({ persistent = true } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redis-'));
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', persistent ? 'yes' : 'no', '--dir', dir],
      {
        stdio: 'ignore',
      },
    );
    await waitFor(() => redisAnswers(port), { timeoutMs: 10_000, what: `redis-server on ${port}` });
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM'); // Redis flushes its append-only file on SIGTERM
    await exited;
  };

  /** Stops the server for good and removes its files. */
  const close = async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  };

  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop, close };
}

/** Whether a redis-server on loopback `port` answers PING (false while it is down or starting). */
export async function redisAnswers(port: number): Promise<boolean> {
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
