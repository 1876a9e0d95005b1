import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from './wait-for.js';

const DIST = join(import.meta.dirname, '..', '..', 'dist');

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs a compiled entry point (`main.js`, `main.worker.js`) as a real child process; an `undefined` value unsets a variable. */
export function runDist(entry: string, env: Record<string, string | undefined> = {}): RunningProcess {
  const child = spawn(process.execPath, [join(DIST, entry)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watched(child, (signal) => child.kill(signal));
}

/** A child started with piped stdout and stderr: its output so far, its exit, and `stop` sending `kill` a signal. */
export function watched(child: ChildProcess, kill: (signal: NodeJS.Signals) => void): RunningProcess {
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) kill(signal);
      return exited;
    },
  };
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Starts web and worker from dist/ on a free port and waits until /health says 200. */
export async function runServices(env: Record<string, string> = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const all = { PORT: String(port), APP_URL: url, ...env };
  const web = runDist('main.js', all);
  const worker = runDist('main.worker.js', all);
  await waitFor(async () => (await fetch(`${url}/health`)).ok, { timeoutMs: 20_000, what: `web on ${url}` }).catch((error: Error) => {
    throw new Error(`${error.message}\n${web.output()}`);
  });
  return {
    url,
    web,
    worker,
    async stop() {
      await Promise.all([web.stop(), worker.stop()]);
    },
  };
}
