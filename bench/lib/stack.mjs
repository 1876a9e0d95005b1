// The services one benchmark phase needs: its own database, Redis db index and SES emulator,
// all reset to empty, and the processes under test started fresh.
import { execFileSync, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';

export const ROOT = join(import.meta.dirname, '..', '..');
const BASELINE_SCHEMA = readFileSync(join(ROOT, 'bench', 'baseline', 'schema.sql'), 'utf8');

export function benchUrls(env = process.env) {
  const db = new URL(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/app');
  // BENCH_DATABASE / BENCH_REDIS_DB: to run next to another bench on one machine.
  db.pathname = `/${env.BENCH_DATABASE ?? 'bench'}`;
  const redis = new URL(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  redis.pathname = `/${env.BENCH_REDIS_DB ?? '12'}`;
  return { DATABASE_URL: db.toString(), REDIS_URL: redis.toString() };
}

/** Drops and recreates the bench database (service migrations, BullMQ's PostgreSQL schema, baseline schema) and empties the bench Redis db. */
export async function resetData({ DATABASE_URL, REDIS_URL }) {
  const admin = new URL(DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  const name = decodeURIComponent(new URL(DATABASE_URL).pathname.slice(1));
  await client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
  await client.end();
  execFileSync(process.execPath, [join(ROOT, 'dist', 'database', 'migrate.js')], {
    // Migrations sign nothing: the development APP_SECRET will do, but only when NODE_ENV says so.
    env: { ...process.env, NODE_ENV: 'development', DATABASE_URL },
    stdio: 'ignore',
  });
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  await db.query(BASELINE_SCHEMA);
  await db.end();

  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  await redis.flushdb();
  redis.disconnect();
}

/** A fresh emulator process; `arrivals` fills with [recipient, ms] as emails are stored. */
export async function startEmulator(port) {
  // The emulator says it is ready even when its port is taken, and the emails then go elsewhere.
  const probe = createServer().listen(port, '127.0.0.1');
  await Promise.race([once(probe, 'listening'), once(probe, 'error')]).catch(() => {});
  if (!probe.listening) throw new Error(`port ${port} for the SES emulator is in use (another bench? set BENCH_SES_PORT)`);
  await new Promise((r) => probe.close(r));
  const child = fork(join(ROOT, 'bench', 'lib', 'ses-emulator.cjs'), [String(port)], { stdio: 'ignore' });
  const arrivals = [];
  let onArrival = () => {};
  child.on('message', (m) => {
    if (m.arrivals) {
      arrivals.push(...m.arrivals);
      onArrival();
    }
  });
  const [first] = await once(child, 'message');
  if (!first.ready) throw new Error('SES emulator did not start');
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    arrivals,
    /** Resolves once `count` emails arrived, or after `timeoutMs` without a new one. */
    waitFor(count, timeoutMs) {
      return new Promise((resolve) => {
        let timer;
        const idle = () => {
          clearTimeout(timer);
          timer = setTimeout(done, timeoutMs);
        };
        const done = () => {
          clearTimeout(timer);
          onArrival = () => {};
          resolve(arrivals.length);
        };
        onArrival = () => (arrivals.length >= count ? done() : idle());
        idle();
        onArrival();
      });
    },
    async stop() {
      child.kill();
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}

export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

const LOOP_PROBE = pathToFileURL(join(ROOT, 'bench', 'lib', 'loop-probe.mjs')).href;

const CGROUP_ROOT = '/sys/fs/cgroup';
/** cgroup v2 where its root offers the memory controller, else v1's memory hierarchy. */
const CGROUP_V2 =
  existsSync(join(CGROUP_ROOT, 'cgroup.controllers')) && readFileSync(join(CGROUP_ROOT, 'cgroup.controllers'), 'utf8').includes('memory');
let cgroups = 0;
const liveCgroups = new Set();
process.once('exit', () => liveCgroups.forEach((remove) => remove()));

/**
 * A memory cgroup of one process's own (Linux, as root), limited to `limitMb` MiB when given, as a
 * container's limit: Node picks V8's young generation from it (its heap limit stays 259 MB down to
 * 120 MiB), and the kernel reclaims, then kills, at the limit. Its peak is what a container runtime
 * charges the process: its anonymous memory and the page cache it brought in (its log file
 * included), but not the Node binary's pages another process read first, which RSS counts.
 * Null without a writable memory cgroup (not root), unless a limit was asked for: then it throws.
 */
export function memoryCgroup(name, limitMb) {
  const dir = join(CGROUP_V2 ? CGROUP_ROOT : join(CGROUP_ROOT, 'memory'), `${name}-${process.pid}-${++cgroups}`);
  try {
    mkdirSync(dir);
    if (limitMb) writeFileSync(join(dir, CGROUP_V2 ? 'memory.max' : 'memory.limit_in_bytes'), String(limitMb * 1024 * 1024));
  } catch (error) {
    if (!limitMb) return null;
    throw new Error(`--memory-limit needs root and a writable memory cgroup (${error.message})`, { cause: error });
  }
  const remove = () => {
    try {
      rmdirSync(dir);
      liveCgroups.delete(remove);
    } catch {
      // a process still inside (the bench was interrupted) keeps it
    }
  };
  liveCgroups.add(remove);
  return {
    procs: join(dir, 'cgroup.procs'),
    /** The most memory charged to it at once, in MB (NaN where the kernel does not keep it). */
    peakMb() {
      try {
        return Number(readFileSync(join(dir, CGROUP_V2 ? 'memory.peak' : 'memory.max_usage_in_bytes'), 'utf8')) / 1024 / 1024;
      } catch {
        return NaN;
      }
    },
    remove,
  };
}

/**
 * Starts a Node process with its output going straight to a log file (no piping through the bench),
 * with the event-loop probe (loop-probe.mjs) preloaded, inside `cgroup` (memoryCgroup) when given.
 */
export function startProcess(script, { env, log, nodeArgs = [], cgroup }) {
  mkdirSync(join(log, '..'), { recursive: true });
  const fd = openSync(log, 'a');
  const probeFile = log.replace(/\.log$/, '.loop.json');
  const nodeOptions = [process.env.NODE_OPTIONS, `--import ${LOOP_PROBE}`].filter(Boolean).join(' ');
  const command = [process.execPath, ...nodeArgs, script];
  // In a cgroup: the shell joins it, then becomes Node (same pid), so Node starts inside.
  const [file, ...argv] = cgroup ? ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', cgroup.procs, ...command] : command;
  const child = spawn(file, argv, {
    env: { ...process.env, ...env, NODE_OPTIONS: nodeOptions, BENCH_LOOP_PROBE_FILE: probeFile },
    stdio: ['ignore', fd, fd],
  });
  const exited = once(child, 'exit');
  let probeSeq = 0;
  const ended = () => (child.exitCode === null && child.signalCode === null ? null : `code ${child.exitCode}, signal ${child.signalCode}`);
  return {
    pid: child.pid,
    /** Null while running, else how it ended. */
    ended,
    cpuMs: () => cpuMs(child.pid),
    /**
     * Event-loop delay (ms past the sampling interval: p50, p99, max, mean) since the previous
     * call, or since start-up for the first; the probe starts a new histogram at each call.
     */
    async loopDelay(timeoutMs = 5_000) {
      const seq = ++probeSeq;
      child.kill('SIGUSR2');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = ended();
        if (end) throw new Error(`${script} exited (${end})${cgroup ? ', maybe killed at its memory limit' : ''}`);
        try {
          if (existsSync(probeFile)) {
            const snapshot = JSON.parse(readFileSync(probeFile, 'utf8'));
            if (snapshot.seq === seq) return snapshot;
          }
        } catch {
          // being written
        }
        if (Date.now() > deadline) throw new Error(`no event-loop figures from ${script} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    /** Peak resident set size so far, in MB (VmHWM). */
    peakRssMb() {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m ? Number(m[1]) / 1024 : NaN;
      } catch {
        return NaN; // gone already
      }
    },
    /** Peak memory charged to the process's own cgroup so far, in MB (NaN without one). */
    peakChargedMb: () => cgroup?.peakMb() ?? NaN,
    async stop() {
      if (!ended()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
      cgroup?.remove();
    },
  };
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** User + system CPU time a process has used so far, in ms. */
export function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return NaN; // gone already
  }
}

/**
 * A Node process's CPU time so far on its main thread (JavaScript) and on V8's helper threads
 * (concurrent and parallel garbage collection, optimising compilation), in ms.
 */
export function threadCpuMs(pid) {
  const spent = { main: 0, v8: 0 };
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
      if (tid === String(pid)) spent.main += ms;
      else if (name.startsWith('V8')) spent.v8 += ms;
    }
  } catch {
    // gone already
  }
  return spent;
}

/** PostgreSQL backends serving the bench database (the processes under test's pools). */
export async function postgresBackendPids(DATABASE_URL) {
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  const { rows } = await db.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  await db.end();
  return rows.map((r) => r.pid);
}

/** The Redis server's pid when it runs on this machine (its CPU counts too), else undefined. */
export async function localRedisPid(REDIS_URL) {
  const { hostname } = new URL(REDIS_URL);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) return undefined;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const info = await redis.info('server');
  redis.disconnect();
  return Number(/process_id:(\d+)/.exec(info)?.[1]) || undefined;
}

export async function waitForHealth(url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url}/health did not answer 200 within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
