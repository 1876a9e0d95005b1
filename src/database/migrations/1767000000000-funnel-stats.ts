import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The operators' funnel (GET /api/admin/stats, /admin): indexes on the times the figures are
 * counted by, and `funnel_hours`, one row per closed hour with its counts and a histogram of the
 * seconds from sign-up to confirmation (slot n holds durations in [1.05^n, 1.05^(n+1)) seconds),
 * so a 30-day figure reads 720 rows instead of every user and email of the month.
 */
export class FunnelStats1767000000000 implements MigrationInterface {
  name = 'FunnelStats1767000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX IF NOT EXISTS users_created_at_idx ON users (created_at)`);
    await db.query(`CREATE INDEX IF NOT EXISTS users_confirmed_at_idx ON users (confirmed_at) WHERE confirmed_at IS NOT NULL`);
    await db.query(`CREATE INDEX IF NOT EXISTS mail_outbox_sent_at_idx ON mail_outbox (sent_at) WHERE sent_at IS NOT NULL`);
    await db.query(`
      CREATE TABLE funnel_hours (
        hour timestamptz PRIMARY KEY,
        registered integer NOT NULL,
        sent integer NOT NULL,
        confirmed integer NOT NULL,
        bounced integer NOT NULL,
        complained integer NOT NULL,
        confirm_seconds jsonb NOT NULL,
        rolled_up_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT funnel_hours_on_the_hour CHECK (hour = date_trunc('hour', hour, 'UTC'))
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE funnel_hours`);
    await db.query(`DROP INDEX mail_outbox_sent_at_idx`);
    await db.query(`DROP INDEX users_confirmed_at_idx`);
    await db.query(`DROP INDEX users_created_at_idx`);
  }
}
