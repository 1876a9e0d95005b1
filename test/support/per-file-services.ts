/**
 * Runs before each test file (vitest `setupFiles`): the file gets a PostgreSQL database of its own,
 * copied from the migrated template that global-setup made, a Redis server of its own (queue,
 * rate limits, admin lockouts and the global send rate all start empty), and an empty emulator
 * inbox. Nothing one file leaves behind can reach another, in whatever order they run.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { startOwnRedis } from './redis-server.js';
import { sesInbox } from './ses-inbox.js';
import { TEST_ENV } from './test-env.js';

const template = new URL(TEST_ENV.DATABASE_URL);
const templateName = template.pathname.slice(1);
/** Per-file databases are named after the template, so several people's runs cannot collide. */
export const perFileDatabasePrefix = `${templateName}_f`;
const name = `${perFileDatabasePrefix}${process.pid}_${randomBytes(3).toString('hex')}`;

async function onMaintenanceDb<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(template);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

await onMaintenanceDb((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`));
const own = new URL(template);
own.pathname = `/${name}`;
process.env.DATABASE_URL = own.toString();

// The postgres project (QUEUE_BACKEND=postgres) runs without Redis: REDIS_URL stays at its closed port.
const redis = process.env.QUEUE_BACKEND === 'postgres' ? undefined : await startOwnRedis({ persistent: false });
if (redis) process.env.REDIS_URL = redis.url;

await sesInbox.clear();

afterAll(async () => {
  await redis?.close();
  await onMaintenanceDb((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
});
