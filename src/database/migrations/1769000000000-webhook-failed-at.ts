import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a webhook delivery was given up (`failed_at`, beside `delivered_at` for a sent one), as the
 * outbox keeps `sent_at` and `failed_at`: retention counts RETENTION_DAYS from whichever is set, so
 * a delivery held for weeks by a disabled endpoint is kept that long after it finally settles.
 */
export class WebhookFailedAt1769000000000 implements MigrationInterface {
  name = 'WebhookFailedAt1769000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE webhook_deliveries ADD COLUMN failed_at timestamptz`);
    // No time of failure was kept before: the creation stands in.
    await db.query(`UPDATE webhook_deliveries SET failed_at = created_at WHERE status = 'failed'`);
    await db.query(
      `ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_settled_times
         CHECK ((status = 'sent') = (delivered_at IS NOT NULL) AND (status = 'failed') = (failed_at IS NOT NULL))`,
    );
    await db.query(`CREATE INDEX webhook_deliveries_settled_at_idx ON webhook_deliveries ((coalesce(delivered_at, failed_at)))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX webhook_deliveries_settled_at_idx`);
    await db.query(`ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_settled_times`);
    await db.query(`ALTER TABLE webhook_deliveries DROP COLUMN failed_at`);
  }
}
