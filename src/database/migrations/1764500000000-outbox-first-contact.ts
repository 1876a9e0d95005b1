import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Emails to an address never seen before (a new sign-up): what the new-address breaker counts. */
export class OutboxFirstContact1764500000000 implements MigrationInterface {
  name = 'OutboxFirstContact1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mail_outbox ADD COLUMN first_contact boolean NOT NULL DEFAULT false`);
    await db.query(`CREATE INDEX mail_outbox_first_contact_sent_idx ON mail_outbox (sent_at) WHERE first_contact`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX mail_outbox_first_contact_sent_idx`);
    await db.query(`ALTER TABLE mail_outbox DROP COLUMN first_contact`);
  }
}
