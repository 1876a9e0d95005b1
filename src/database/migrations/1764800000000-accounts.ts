import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts on a confirmed address:
 * - tokens get an attempts counter (one-time sign-in codes) and a subject (what a link is about:
 *   an email change's new address);
 * - user_passwords: the Argon2id hash of a user's password, for users who chose one (Accounts);
 * - sessions: server-side sessions, only the SHA-256 of their token stored (Accounts).
 * All of them go with their user (ON DELETE CASCADE).
 */
export class Accounts1764800000000 implements MigrationInterface {
  name = 'Accounts1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tokens ADD COLUMN attempts integer NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE tokens ADD COLUMN subject text`);
    await db.query(`CREATE INDEX tokens_open_by_user_idx ON tokens (user_id, purpose, created_at) WHERE used_at IS NULL`);
    await db.query(`
      CREATE TABLE user_passwords (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        hash text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL,
        user_agent varchar(256),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE UNIQUE INDEX sessions_token_hash_key ON sessions (token_hash)`);
    await db.query(`CREATE INDEX sessions_user_id_idx ON sessions (user_id)`);
    await db.query(`CREATE INDEX sessions_expires_at_idx ON sessions (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sessions`);
    await db.query(`DROP TABLE user_passwords`);
    await db.query(`DROP INDEX tokens_open_by_user_idx`);
    await db.query(`DELETE FROM tokens WHERE purpose IN ('password-reset', 'email-change', 'email-change-cancel', 'sign-in')`);
    await db.query(`ALTER TABLE tokens DROP COLUMN subject`);
    await db.query(`ALTER TABLE tokens DROP COLUMN attempts`);
  }
}
