import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runMigrations as runQueueMigrations } from 'bullmq';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { loadSettingsOrExit } from '../config/load-config.js';
import { DatabaseSettings } from './database.settings.js';
import { BULLMQ_SCHEMA } from './bullmq-schema.js';
import { databaseOptions } from './database-options.js';

/** Creates the database when it does not exist yet (a fresh machine), then applies pending migrations. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } catch (error) {
    // Another process created it at the same moment.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

/**
 * The service's own tables, then BullMQ's PostgreSQL backend in its own schema (`bullmq`). The
 * latter is applied whatever QUEUE_BACKEND says, so switching a deployment to `postgres` needs no
 * extra step; in `redis` mode the schema just stays empty.
 */
export async function runMigrations(url: string): Promise<string[]> {
  await ensureDatabase(url);
  const dataSource = await new DataSource(databaseOptions(url)).initialize();
  let applied: string[];
  try {
    applied = (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const before = await queueSchemaVersion(client);
    const after = await runQueueMigrations(client, BULLMQ_SCHEMA);
    if (after !== before) applied.push(`bullmq schema ${before} → ${after}`);
  } finally {
    await client.end();
  }
  return applied;
}

async function queueSchemaVersion(client: pg.Client): Promise<number> {
  const ledger = `${BULLMQ_SCHEMA}.migration`;
  const { rows } = await client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [ledger]);
  if (!rows[0].exists) return 0;
  const version = await client.query<{ v: number }>(`SELECT COALESCE(max(version), 0)::int AS v FROM ${ledger}`);
  return version.rows[0].v;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const { DATABASE_URL } = loadSettingsOrExit(DatabaseSettings);
  runMigrations(DATABASE_URL).then(
    (applied) => {
      console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database is up to date.');
    },
    (error: Error) => {
      console.error(`Migration failed: ${error.message}`);
      process.exit(1);
    },
  );
}
