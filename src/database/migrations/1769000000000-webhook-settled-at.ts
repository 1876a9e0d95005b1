import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a webhook delivery was sent or given up (`settled_at`), so that retention counts
 * RETENTION_DAYS from then, as it does for emails: a delivery held for weeks by a disabled
 * endpoint is kept that long after it is finally sent. Set exactly when the delivery is not pending.
 */
export class WebhookSettledAt1769000000000 implements MigrationInterface {
  name = 'WebhookSettledAt1769000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE webhook_deliveries ADD COLUMN settled_at timestamptz`);
    // Before this column, a failed delivery kept no time of its failure: its creation stands in.
    await db.query(`UPDATE webhook_deliveries SET settled_at = coalesce(delivered_at, created_at) WHERE status <> 'pending'`);
    await db.query(
      `ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_settled_when_not_pending
         CHECK ((status = 'pending') = (settled_at IS NULL))`,
    );
    await db.query(`CREATE INDEX webhook_deliveries_settled_at_idx ON webhook_deliveries (settled_at) WHERE settled_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX webhook_deliveries_settled_at_idx`);
    await db.query(`ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_settled_when_not_pending`);
    await db.query(`ALTER TABLE webhook_deliveries DROP COLUMN settled_at`);
  }
}
