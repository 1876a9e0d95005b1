import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
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
 * Real services or a failed run: PostgreSQL must answer (the test database, migrated once here, is
 * the template each test file copies), `redis-server` must be installed (each file starts its own),
 * and the SES emulator is started here.
 */
export async function setup(): Promise<void> {
  const run = (shared.signupTestRun ??= { projects: 0 });
  if (run.projects++ > 0) return;
  const lock = await maintenance();
  lock.on('error', () => undefined); // PostgreSQL went away mid-run: the tests say so; the lock went with it
  await lockTestServices(lock);
  run.lock = lock; // from here on, the databases are this run's to drop
  setUpSnsTestCertificate();
  await dropFileCopies(lock);
  await lock.query(`DROP DATABASE IF EXISTS "${templateName}" WITH (FORCE)`);
  await runMigrations(TEST_ENV.DATABASE_URL);

  const redis = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (redis.status !== 0) throw new Error(`redis-server is needed (each test file runs its own): ${redis.error?.message ?? redis.stderr}`);

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
  if (!run.lock) return; // another run holds the databases
  run.ses?.kill();
  try {
    const admin = await maintenance();
    await dropFileCopies(admin).finally(() => admin.end());
  } finally {
    await run.lock.end().catch(() => undefined); // and with it the locks
  }
}
