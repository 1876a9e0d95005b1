import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks: one row per (event, endpoint), written in the transaction of the change it reports, and
 * the endpoints an admin must re-enable (a receiver answered 410). No foreign key to users: a
 * `user.deleted` event outlives its user.
 */
export class Webhooks1764600000000 implements MigrationInterface {
  name = 'Webhooks1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        type varchar(64) NOT NULL,
        endpoint text NOT NULL,
        payload jsonb NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        next_attempt_at timestamptz,
        generation integer NOT NULL DEFAULT 0,
        enqueued_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      )`);
    // The relay scans what waits for the queue; the sweep, the backlog gauge and the admin list what is unsettled.
    await db.query(
      `CREATE INDEX webhook_deliveries_unenqueued_idx ON webhook_deliveries (id) WHERE enqueued_at IS NULL AND status = 'pending'`,
    );
    await db.query(`CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (created_at) WHERE status = 'pending'`);
    await db.query(`CREATE INDEX webhook_deliveries_status_idx ON webhook_deliveries (status, created_at)`);
    await db.query(`
      CREATE TABLE webhook_endpoints (
        url text PRIMARY KEY,
        disabled_at timestamptz,
        disabled_reason text
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE webhook_endpoints`);
    await db.query(`DROP TABLE webhook_deliveries`);
  }
}
