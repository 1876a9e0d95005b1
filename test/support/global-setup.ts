import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';
import { Redis } from 'ioredis';
import { runMigrations } from '../../src/database/migrate.js';
import { setUpSnsTestCertificate } from './sns.js';
import { SES_PORT, TEST_ENV } from './test-env.js';
import { waitFor } from './wait-for.js';

let ses: ChildProcess | undefined;

/** Real services or a failed run: PostgreSQL and Redis must answer; the SES emulator is started here. */
export async function setup(): Promise<void> {
  setUpSnsTestCertificate();
  const adminUrl = new URL(TEST_ENV.DATABASE_URL);
  const dbName = adminUrl.pathname.slice(1);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect().catch((error: Error) => {
    throw new Error(`PostgreSQL is not reachable at ${adminUrl.host}: ${error.message}`);
  });
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
  await runMigrations(TEST_ENV.DATABASE_URL);

  const redis = new Redis(TEST_ENV.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect().catch((error: Error) => {
    throw new Error(`Redis is not reachable at ${TEST_ENV.REDIS_URL}: ${error.message}`);
  });
  await redis.flushdb();
  redis.disconnect();

  const cli = createRequire(import.meta.url).resolve('aws-ses-v2-local/dist/cli.js');
  ses = spawn(process.execPath, [cli, '--host', '127.0.0.1', '--port', String(SES_PORT)], { stdio: 'ignore' });
  await waitFor(async () => (await fetch(`${TEST_ENV.AWS_ENDPOINT_URL_SES}/health-check`)).ok, {
    timeoutMs: 15_000,
    what: `the SES emulator on port ${SES_PORT}`,
  });
}

export function teardown(): void {
  ses?.kill();
}
