import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What QUEUE_BACKEND=postgres keeps in PostgreSQL instead of Redis: per-IP and per-address counters
 * (rate limits, sign-in throttle, admin lockout) and short-lived shared flags (the SES pause).
 * The counters are UNLOGGED: like Redis without persistence, a crash of PostgreSQL forgets them
 * (the limits start over), and they cost no WAL.
 */
export class PostgresSharedState1764900000000 implements MigrationInterface {
  name = 'PostgresSharedState1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE UNLOGGED TABLE rate_limits (
        key text PRIMARY KEY,
        hits integer NOT NULL,
        window_ends_at timestamptz NOT NULL,
        blocked_until timestamptz
      )`);
    await db.query(`
      CREATE TABLE shared_flags (
        key text PRIMARY KEY,
        value text NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE shared_flags`);
    await db.query(`DROP TABLE rate_limits`);
  }
}
