import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the credentials policy last voided a user's credentials (the row is also the lock that puts
 * such changes one after another), and when each token's email was asked for: a link or code asked
 * for before the last change is void, and a sign-in checked before it gets no session.
 */
export class CredentialChanges1765000000000 implements MigrationInterface {
  name = 'CredentialChanges1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE credential_changes (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        changed_at timestamptz NOT NULL
      )`);
    await db.query(`ALTER TABLE tokens ADD COLUMN asked_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tokens DROP COLUMN asked_at`);
    await db.query(`DROP TABLE credential_changes`);
  }
}
