import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';
import { runMigrations } from '../../src/database/migrate.js';
import { setUpSnsTestCertificate } from './sns.js';
import { SES_PORT, TEST_ENV } from './test-env.js';
import { waitFor } from './wait-for.js';

let ses: ChildProcess | undefined;

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
 * Real services or a failed run: PostgreSQL must answer (the test database, migrated once here, is
 * the template each test file copies), `redis-server` must be installed (each file starts its own),
 * and the SES emulator is started here.
 */
export async function setup(): Promise<void> {
  setUpSnsTestCertificate();
  const admin = await maintenance();
  await dropFileCopies(admin);
  await admin.query(`DROP DATABASE IF EXISTS "${templateName}" WITH (FORCE)`);
  await admin.end();
  await runMigrations(TEST_ENV.DATABASE_URL);

  const redis = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (redis.status !== 0) throw new Error(`redis-server is needed (each test file runs its own): ${redis.error?.message ?? redis.stderr}`);

  const cli = createRequire(import.meta.url).resolve('aws-ses-v2-local/dist/cli.js');
  ses = spawn(process.execPath, [cli, '--host', '127.0.0.1', '--port', String(SES_PORT)], { stdio: 'ignore' });
  await waitFor(async () => (await fetch(`${TEST_ENV.AWS_ENDPOINT_URL_SES}/health-check`)).ok, {
    timeoutMs: 15_000,
    what: `the SES emulator on port ${SES_PORT}`,
  });
}

export async function teardown(): Promise<void> {
  ses?.kill();
  const admin = await maintenance();
  try {
    await dropFileCopies(admin);
  } finally {
    await admin.end();
  }
}
