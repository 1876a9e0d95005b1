// Creates the Better Auth peer's tables with its own migration code (what `npx @better-auth/cli migrate` runs).
import { getMigrations } from 'better-auth/db/migration';
import pg from 'pg';
import { SCHEMA, createAuth } from './auth.mjs';

const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
await admin.connect();
await admin.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
await admin.end();
const { auth, pool } = createAuth();
const { runMigrations, toBeCreated } = await getMigrations(auth.options);
await runMigrations();
console.log(`better-auth tables created: ${toBeCreated.map((t) => t.table).join(', ')}`);
await pool.end();
