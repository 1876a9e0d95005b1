import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mail as a typed outbox of message kinds:
 * - outbox ids become UUIDs, so a job id names one row of one database for ever (a reset or restore
 *   used to make new rows collide with finished jobs Redis still kept); rows not sent yet are handed
 *   to the relay again under their new id, and a job of the old release finds no row and is skipped;
 * - a payload per email, for kinds that carry data;
 * - tokens by purpose (the table is renamed);
 * - cooldowns per (user, bucket) with a daily count, owned by Mail, instead of one column on users;
 * - users.reminded_at for the one confirmation reminder (sign-ups older than two days count as
 *   reminded, so an upgrade does not write to every old unconfirmed address at once).
 */
export class MessageKinds1764400000000 implements MigrationInterface {
  name = 'MessageKinds1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mail_outbox ADD COLUMN uid uuid NOT NULL DEFAULT gen_random_uuid()`);
    await db.query(`ALTER TABLE mail_outbox ALTER COLUMN uid DROP DEFAULT`);
    await db.query(`UPDATE mail_outbox SET enqueued_at = NULL WHERE sent_at IS NULL AND failed_at IS NULL`);
    await db.query(`ALTER TABLE mail_outbox DROP COLUMN id`);
    await db.query(`ALTER TABLE mail_outbox RENAME COLUMN uid TO id`);
    await db.query(`ALTER TABLE mail_outbox ADD PRIMARY KEY (id)`);
    await db.query(`CREATE INDEX mail_outbox_pending_idx ON mail_outbox (id) WHERE enqueued_at IS NULL`);
    await db.query(`ALTER TABLE mail_outbox ADD COLUMN payload jsonb NOT NULL DEFAULT '{}'`);
    // Retention deletes by age.
    await db.query(
      `CREATE INDEX mail_outbox_done_idx ON mail_outbox (coalesce(sent_at, failed_at)) WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL`,
    );

    await db.query(`ALTER TABLE confirmation_tokens RENAME TO tokens`);
    await db.query(`ALTER INDEX confirmation_tokens_hash_key RENAME TO tokens_hash_key`);
    await db.query(`ALTER INDEX confirmation_tokens_user_id_idx RENAME TO tokens_user_id_idx`);
    await db.query(`ALTER TABLE tokens ADD COLUMN purpose varchar(32) NOT NULL DEFAULT 'confirmation'`);
    await db.query(`ALTER TABLE tokens ALTER COLUMN purpose DROP DEFAULT`);
    await db.query(`CREATE INDEX tokens_expires_at_idx ON tokens (expires_at)`);

    await db.query(`
      CREATE TABLE mail_cooldowns (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        bucket varchar(32) NOT NULL,
        last_sent_at timestamptz NOT NULL,
        window_started_at timestamptz NOT NULL,
        sent_in_window integer NOT NULL,
        PRIMARY KEY (user_id, bucket)
      )`);
    await db.query(`
      INSERT INTO mail_cooldowns (user_id, bucket, last_sent_at, window_started_at, sent_in_window)
      SELECT id, CASE WHEN confirmed THEN 'account-exists' ELSE 'confirmation' END, last_email_queued_at, last_email_queued_at, 1
        FROM users WHERE last_email_queued_at IS NOT NULL`);
    await db.query(`ALTER TABLE users DROP COLUMN last_email_queued_at`);

    await db.query(`ALTER TABLE users ADD COLUMN reminded_at timestamptz`);
    await db.query(`UPDATE users SET reminded_at = now() WHERE NOT confirmed AND created_at < now() - interval '2 days'`);
    await db.query(`CREATE INDEX users_reminder_due_idx ON users (email_sent_at) WHERE NOT confirmed AND reminded_at IS NULL`);
    await db.query(`CREATE INDEX users_unconfirmed_idx ON users (created_at) WHERE NOT confirmed`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX users_unconfirmed_idx`);
    await db.query(`DROP INDEX users_reminder_due_idx`);
    await db.query(`ALTER TABLE users DROP COLUMN reminded_at`);
    await db.query(`ALTER TABLE users ADD COLUMN last_email_queued_at timestamptz`);
    await db.query(`
      UPDATE users u SET last_email_queued_at = c.last_sent_at
        FROM (SELECT user_id, max(last_sent_at) AS last_sent_at FROM mail_cooldowns GROUP BY user_id) c
       WHERE c.user_id = u.id`);
    await db.query(`DROP TABLE mail_cooldowns`);
    await db.query(`DROP INDEX tokens_expires_at_idx`);
    await db.query(`DELETE FROM tokens WHERE purpose <> 'confirmation'`);
    await db.query(`ALTER TABLE tokens DROP COLUMN purpose`);
    await db.query(`ALTER INDEX tokens_user_id_idx RENAME TO confirmation_tokens_user_id_idx`);
    await db.query(`ALTER INDEX tokens_hash_key RENAME TO confirmation_tokens_hash_key`);
    await db.query(`ALTER TABLE tokens RENAME TO confirmation_tokens`);
    // Outbox ids cannot go back to the old sequence: rows keep their data under new numeric ids.
    await db.query(`DROP INDEX mail_outbox_done_idx`);
    await db.query(`ALTER TABLE mail_outbox DROP COLUMN payload`);
    await db.query(`ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_pkey`);
    await db.query(`ALTER TABLE mail_outbox RENAME COLUMN id TO uid`);
    await db.query(`ALTER TABLE mail_outbox ADD COLUMN id bigserial PRIMARY KEY`);
    await db.query(`UPDATE mail_outbox SET enqueued_at = NULL WHERE sent_at IS NULL AND failed_at IS NULL`);
    await db.query(`ALTER TABLE mail_outbox DROP COLUMN uid`);
    await db.query(`CREATE INDEX IF NOT EXISTS mail_outbox_pending_idx ON mail_outbox (id) WHERE enqueued_at IS NULL`);
  }
}
