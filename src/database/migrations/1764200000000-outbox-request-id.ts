import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The HTTP request that asked for an email, carried into the job so logs can follow it. */
export class OutboxRequestId1764200000000 implements MigrationInterface {
  name = 'OutboxRequestId1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mail_outbox ADD COLUMN request_id varchar(128)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mail_outbox DROP COLUMN request_id`);
  }
}
