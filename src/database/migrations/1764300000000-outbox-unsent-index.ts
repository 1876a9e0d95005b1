import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The relay's sweep looks for old unsent rows; without this it would scan the whole outbox. */
export class OutboxUnsentIndex1764300000000 implements MigrationInterface {
  name = 'OutboxUnsentIndex1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX mail_outbox_unsent_idx ON mail_outbox (enqueued_at) WHERE sent_at IS NULL AND failed_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX mail_outbox_unsent_idx`);
  }
}
