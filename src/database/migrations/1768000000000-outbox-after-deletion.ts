import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An email that outlives its user (the notice that an account was deleted): its outbox row refers
 * to no user row (`user_id` null, so the deletion's cascade leaves it), keeps the user's id in
 * `former_user_id` for logs, facts and webhooks, and its recipient's language in `locale`.
 */
export class OutboxAfterDeletion1768000000000 implements MigrationInterface {
  name = 'OutboxAfterDeletion1768000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mail_outbox ALTER COLUMN user_id DROP NOT NULL`);
    await db.query(`ALTER TABLE mail_outbox ADD COLUMN former_user_id uuid, ADD COLUMN locale text`);
    await db.query(
      `ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_names_a_user CHECK (user_id IS NOT NULL OR former_user_id IS NOT NULL)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM mail_outbox WHERE user_id IS NULL`);
    await db.query(`ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_names_a_user`);
    await db.query(`ALTER TABLE mail_outbox DROP COLUMN locale, DROP COLUMN former_user_id`);
    await db.query(`ALTER TABLE mail_outbox ALTER COLUMN user_id SET NOT NULL`);
  }
}
