import type { DatabaseService } from '../../database/database.service.js';
import { statement } from '../../database/statement.js';

const OUTBOX_COUNT = statement('mail.test.outbox-count', `SELECT count(*)::int AS count FROM mail_outbox`);
const OUTBOX_KINDS = statement('mail.test.outbox-kinds', `SELECT kind FROM mail_outbox ORDER BY id`);
const REMOVE_EMAILS_OF_DELETED_USERS = statement(
  'mail.test.remove-emails-of-deleted-users',
  `DELETE FROM mail_outbox WHERE user_id IS NULL`,
);
const FORGET_COOLDOWNS = statement('mail.test.forget-cooldowns', `DELETE FROM mail_cooldowns WHERE $1::text IS NULL OR bucket = $1`);
const LET_COOLDOWNS_PASS = statement(
  'mail.test.let-cooldowns-pass',
  `UPDATE mail_cooldowns SET last_sent_at = last_sent_at - make_interval(secs => $1),
                             window_started_at = window_started_at - make_interval(secs => $1)`,
);
const FAIL_UNSENT = statement(
  'mail.test.fail-unsent',
  `UPDATE mail_outbox SET enqueued_at = coalesce(enqueued_at, now()), failed_at = now(), error = $1
    WHERE sent_at IS NULL AND failed_at IS NULL
   RETURNING id`,
);
const REFUSING_FUNCTION = statement(
  'mail.test.refusing-function',
  `CREATE OR REPLACE FUNCTION mail_test_refuse_email() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no email today'; END $$`,
);
const REFUSING_TRIGGER = statement(
  'mail.test.refusing-trigger',
  `CREATE TRIGGER mail_test_refuse_email BEFORE INSERT ON mail_outbox FOR EACH ROW EXECUTE FUNCTION mail_test_refuse_email()`,
);
const DROP_REFUSING_TRIGGER = statement('mail.test.drop-refusing-trigger', `DROP TRIGGER IF EXISTS mail_test_refuse_email ON mail_outbox`);
const DROP_REFUSING_FUNCTION = statement('mail.test.drop-refusing-function', `DROP FUNCTION IF EXISTS mail_test_refuse_email()`);

/**
 * For tests only (never registered in a module): Mail's tables as no API shows or changes them.
 * Built from the app's DatabaseService: `new MailTestApi(app.get(DatabaseService))`.
 */
export class MailTestApi {
  constructor(private readonly db: DatabaseService) {}

  /** Emails recorded, whatever their state. */
  async outboxCount(): Promise<number> {
    return (await this.db.query<{ count: number }>(OUTBOX_COUNT, []))[0].count;
  }

  /** The kind of every email recorded, oldest first, whatever its state. */
  async outboxKinds(): Promise<string[]> {
    return (await this.db.query<{ kind: string }>(OUTBOX_KINDS, [])).map((row) => row.kind);
  }

  /** Deletes the emails that outlived their users (a deletion's notice), which no user's deletion takes along. */
  async removeEmailsOfDeletedUsers(): Promise<void> {
    await this.db.query(REMOVE_EMAILS_OF_DELETED_USERS, []);
  }

  /** Ends every cooldown (of one bucket, e.g. `password-reset`), daily caps included, as if a day had passed. */
  async forgetCooldowns(bucket?: string): Promise<void> {
    await this.db.query(FORGET_COOLDOWNS, [bucket ?? null]);
  }

  /** As if `seconds` had passed for every cooldown and daily cap (by default a day and a second: all of them over). */
  async letCooldownsPass(seconds = 86_401): Promise<void> {
    await this.db.query(LET_COOLDOWNS_PASS, [seconds]);
  }

  /** Fails every email not sent yet for good, with `error`, as a worker does on a permanent SES error; returns their ids. */
  async failUnsentEmails(error: string): Promise<string[]> {
    return (await this.db.query<{ id: string }>(FAIL_UNSENT, [error])).map((row) => row.id);
  }

  /**
   * A fault: from now on recording an email fails (the transaction that tries it rolls back)
   * until the returned function is called.
   */
  async refuseNewEmails(): Promise<() => Promise<void>> {
    await this.db.query(REFUSING_FUNCTION, []);
    await this.db.query(REFUSING_TRIGGER, []);
    return async () => {
      await this.db.query(DROP_REFUSING_TRIGGER, []);
      await this.db.query(DROP_REFUSING_FUNCTION, []);
    };
  }
}
