import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A manual retry of a failed email bumps the generation, which gives it a fresh BullMQ job id. */
export class OutboxRetryGeneration1764100000000 implements MigrationInterface {
  name = 'OutboxRetryGeneration1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mail_outbox ADD COLUMN generation integer NOT NULL DEFAULT 0`);
    await db.query(`CREATE INDEX mail_outbox_failed_idx ON mail_outbox (failed_at) WHERE failed_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX mail_outbox_failed_idx`);
    await db.query(`ALTER TABLE mail_outbox DROP COLUMN generation`);
  }
}
