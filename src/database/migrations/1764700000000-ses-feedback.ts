import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SES feedback (bounces, complaints): the suppression list, the messages already handled (so a
 * redelivered SNS or SQS message changes nothing), the feedback that the soft-bounce count and the
 * reputation rates are computed from, and the automatic sending pause. None of it references users:
 * a suppression outlives the user.
 */
export class SesFeedback1764700000000 implements MigrationInterface {
  name = 'SesFeedback1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE email_suppressions (
        email varchar(254) PRIMARY KEY,
        reason varchar(16) NOT NULL CHECK (reason IN ('bounce', 'complaint')),
        detail text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT email_suppressions_email_lowercase CHECK (email = lower(email))
      )`);
    await db.query(`
      CREATE TABLE ses_feedback_messages (
        id varchar(200) PRIMARY KEY,
        type varchar(40) NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX ses_feedback_messages_received_at_idx ON ses_feedback_messages (received_at)`);
    // One row per recipient of a bounce or complaint; the address only as its SHA-256.
    await db.query(`
      CREATE TABLE ses_feedback_events (
        id bigserial PRIMARY KEY,
        kind varchar(16) NOT NULL CHECK (kind IN ('bounce', 'complaint')),
        subtype varchar(64) NOT NULL,
        counts_for_rate boolean NOT NULL,
        ses_message_id varchar(200) NOT NULL,
        recipient_hash bytea NOT NULL,
        mail_sent_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX ses_feedback_events_recipient_idx ON ses_feedback_events (recipient_hash, received_at) WHERE subtype LIKE 'Transient/%'`,
    );
    await db.query(`CREATE INDEX ses_feedback_events_rate_idx ON ses_feedback_events (mail_sent_at) WHERE counts_for_rate`);
    await db.query(`CREATE INDEX ses_feedback_events_received_at_idx ON ses_feedback_events (received_at)`);
    await db.query(`
      CREATE TABLE ses_sending_state (
        id smallint PRIMARY KEY CHECK (id = 1),
        paused_at timestamptz,
        pause_reason text,
        resumed_at timestamptz
      )`);
    await db.query(`INSERT INTO ses_sending_state (id) VALUES (1)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ses_sending_state`);
    await db.query(`DROP TABLE ses_feedback_events`);
    await db.query(`DROP TABLE ses_feedback_messages`);
    await db.query(`DROP TABLE email_suppressions`);
  }
}
