import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(254) NOT NULL,
        email_sent boolean NOT NULL DEFAULT false,
        email_sent_at timestamptz,
        email_error text,
        confirmed boolean NOT NULL DEFAULT false,
        confirmed_at timestamptz,
        last_email_queued_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_email_lowercase CHECK (email = lower(email))
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);
    await db.query(`
      CREATE TABLE confirmation_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX confirmation_tokens_hash_key ON confirmation_tokens (token_hash)`);
    await db.query(`CREATE INDEX confirmation_tokens_user_id_idx ON confirmation_tokens (user_id)`);
    await db.query(`
      CREATE TABLE mail_outbox (
        id bigserial PRIMARY KEY,
        kind varchar(32) NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        recipient varchar(254) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        enqueued_at timestamptz,
        sent_at timestamptz,
        message_id text,
        failed_at timestamptz,
        error text
      )`);
    // The relay scans only what is still waiting for the queue.
    await db.query(`CREATE INDEX mail_outbox_pending_idx ON mail_outbox (id) WHERE enqueued_at IS NULL`);
    await db.query(`CREATE INDEX mail_outbox_user_id_idx ON mail_outbox (user_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE mail_outbox`);
    await db.query(`DROP TABLE confirmation_tokens`);
    await db.query(`DROP TABLE users`);
  }
}
