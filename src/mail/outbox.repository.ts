import { Injectable } from '@nestjs/common';
import { newId } from '../common/new-id.js';
import { batchCalls } from '../database/batch-calls.js';
import type { Gather } from '../database/composed-statement.js';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import type { Tx } from '../database/tx.js';
import { hourBinSql, type HourlyCount } from '../common/hourly.js';
import { RelayedTable, relayStatements, type RelayedRow } from '../queue/outbox-relay.js';
import type { MailJobData } from '../queue/jobs.js';
import type { OutboxEmail } from './outbox-email.js';

export interface NewEmail {
  kind: string;
  userId: string;
  recipient: string;
  /** The user row is gone by the time it is sent: the row keeps `userId` as `former_user_id`, and `locale`. */
  outlivesUser: boolean;
  /** The recipient's language, for an email that outlives its user (otherwise the user row's is read at send time). */
  locale: string | null;
  payload: object;
  firstContact: boolean;
  requestId: string | null;
}

export interface CooldownClaim {
  bucket: string;
  seconds: number;
  perDay: number;
}

/** Recorded, or held back by its cooldown until a time (null if its cooldown row is gone meanwhile: its user was deleted). */
export type RecordOutcome = { recorded: true } | { recorded: false; heldUntil: Date | null };

interface OutboxRow {
  id: string;
  kind: string;
  user_id: string;
  recipient: string;
  payload: object;
  first_contact: boolean;
  created_at: Date;
  sent_at: Date | null;
  failed_at: Date | null;
  error: string | null;
  locale?: string | null;
}

// An email that outlived its user names it by former_user_id.
const ROW_COLUMNS =
  'o.id, o.kind, coalesce(o.user_id, o.former_user_id) AS user_id, o.recipient, o.payload, o.first_contact, o.created_at, o.sent_at, o.failed_at, o.error';

/**
 * CTEs recording the emails of relation `wanted` (columns id, kind, user_id, recipient, payload,
 * request_id, first_contact, bucket, seconds, per_day, outlives_user, locale; bucket null when the kind has no cooldown;
 * at most one email per (user, bucket)): each with a cooldown only when its (user, bucket) claim
 * succeeds, by one conditional upsert, so concurrent requests on any number of instances let one
 * email through. Within a day the wait doubles after each email and at most `per_day` go out; a
 * day after the first, the count starts again. `<prefix>recorded` yields the ids recorded.
 */
function recordEmailsCtes(prefix: string, wanted: string): Array<[string, string]> {
  const claimed = `${prefix}claimed`;
  const ofClaim = (column: string) => `(SELECT w.${column} FROM ${wanted} w WHERE w.user_id = c.user_id AND w.bucket = c.bucket)`;
  return [
    [
      claimed,
      `INSERT INTO mail_cooldowns AS c (user_id, bucket, last_sent_at, window_started_at, sent_in_window)
       SELECT user_id, bucket, now(), now(), 1 FROM ${wanted} WHERE bucket IS NOT NULL
       ON CONFLICT (user_id, bucket) DO UPDATE SET
         last_sent_at = now(),
         window_started_at = CASE WHEN c.window_started_at <= now() - interval '1 day' THEN now() ELSE c.window_started_at END,
         sent_in_window = CASE WHEN c.window_started_at <= now() - interval '1 day' THEN 1 ELSE c.sent_in_window + 1 END
       WHERE c.window_started_at <= now() - interval '1 day'
          OR (c.sent_in_window < ${ofClaim('per_day')}
              AND c.last_sent_at <= now() - make_interval(secs => ${ofClaim('seconds')} * power(2, c.sent_in_window - 1)))
       RETURNING user_id, bucket`,
    ],
    [
      `${prefix}recorded`,
      `INSERT INTO mail_outbox (id, kind, user_id, former_user_id, locale, recipient, payload, request_id, first_contact)
       SELECT w.id, w.kind, CASE WHEN w.outlives_user THEN NULL ELSE w.user_id END, CASE WHEN w.outlives_user THEN w.user_id END,
              w.locale, w.recipient, w.payload, w.request_id, w.first_contact
         FROM ${wanted} w LEFT JOIN ${claimed} c ON c.user_id = w.user_id AND c.bucket = w.bucket
        WHERE w.bucket IS NULL OR c.user_id IS NOT NULL
       RETURNING id`,
    ],
  ];
}

const RECORD = statement(
  'mail.outbox.record',
  `WITH mail_wanted (id, kind, user_id, recipient, payload, request_id, first_contact, bucket, seconds, per_day, outlives_user, locale) AS (
     SELECT $1::uuid, $2::text, $3::uuid, $4::text, $5::jsonb, $6::text, $7::boolean, $8::text, $9::float8, $10::int, $11::boolean, $12::text
   ),
   ${recordEmailsCtes('mail_', 'mail_wanted')
     .map(([name, sql]) => `${name} AS (${sql})`)
     .join(',\n')}
   SELECT id FROM mail_recorded`,
);
// When a refused claim may succeed. Read after the claim, in a statement of its own: the claim's own
// snapshot may predate a concurrent claim that won (and waited for it to commit).
const HELD_UNTIL = statement(
  'mail.cooldowns.held-until',
  `SELECT greatest(now(), CASE WHEN sent_in_window >= $3::int THEN window_started_at + interval '1 day'
                               ELSE least(window_started_at + interval '1 day',
                                          last_sent_at + make_interval(secs => $4::float8 * power(2, sent_in_window - 1))) END) AS until
     FROM mail_cooldowns WHERE user_id = $1 AND bucket = $2`,
);

// With the recipient's language as the user row holds it now (every email is rendered in it at send
// time): read here, in the one query the worker makes per email anyway, rather than in a round trip of its own.
// An email that outlived its user has the language it was recorded with.
const FIND = statement(
  'mail.outbox.find',
  `SELECT ${ROW_COLUMNS}, coalesce(u.locale, o.locale) AS locale
     FROM mail_outbox o LEFT JOIN users u ON u.id = o.user_id
    WHERE o.id = ANY($1::uuid[])`,
);
const MARK_SENT = statement(
  'mail.outbox.mark-sent',
  `UPDATE mail_outbox m SET sent_at = $1, message_id = sent.message_id
     FROM unnest($2::uuid[], $3::text[]) AS sent(id, message_id)
    WHERE m.id = sent.id`,
);
// Only a row neither sent nor already failed: the caller learns whether this call failed it.
const MARK_FAILED = statement(
  'mail.outbox.mark-failed',
  `UPDATE mail_outbox SET failed_at = now(), error = $2 WHERE id = $1 AND failed_at IS NULL AND sent_at IS NULL RETURNING 1`,
);
const LIST_FAILED = statement(
  'mail.outbox.list-failed',
  `SELECT ${ROW_COLUMNS} FROM mail_outbox o WHERE failed_at IS NOT NULL ORDER BY failed_at DESC LIMIT $1`,
);
// Only rows still failed: two admins retrying at once queue each email once. A new generation gives the retry a job id of its own.
const REQUEUE_FAILED = statement(
  'mail.outbox.requeue-failed',
  `UPDATE mail_outbox SET failed_at = NULL, error = NULL, enqueued_at = NULL, generation = generation + 1
    WHERE failed_at IS NOT NULL AND sent_at IS NULL AND ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))
   RETURNING id`,
);
const PURGE = statement(
  'mail.outbox.purge',
  `DELETE FROM mail_outbox WHERE id IN (
     SELECT id FROM mail_outbox WHERE sent_at < $1 OR failed_at < $1 LIMIT $2)
   RETURNING 1`,
);
const UNQUEUED = statement('mail.outbox.unqueued', `SELECT count(*)::int AS count FROM mail_outbox WHERE enqueued_at IS NULL`);
const SENT_TO_NEW_ADDRESSES = statement(
  'mail.outbox.sent-to-new-addresses',
  `SELECT count(*)::int AS count FROM mail_outbox WHERE first_contact AND sent_at > now() - interval '1 minute'`,
);
// The most recent `$1` emails that finished (through the index on finish time), of which the sent ones count.
const RECENT_SENDS = statement(
  'mail.outbox.recent-sends',
  `WITH recent AS (
     SELECT sent_at FROM mail_outbox
      WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL
      ORDER BY coalesce(sent_at, failed_at) DESC LIMIT $1)
   SELECT count(sent_at)::int AS sends,
          min(sent_at) AS since,
          count(sent_at) FILTER (WHERE $2::timestamptz IS NULL OR sent_at > $2)::int AS sends_after
     FROM recent`,
);
const CLAIM_UNQUEUED = statement(
  'mail.outbox.claim-unqueued',
  `SELECT id, generation, kind, request_id FROM mail_outbox
    WHERE enqueued_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
);
// The funnel (GET /api/admin/stats): emails sent by hour (index mail_outbox_sent_at_idx); what waits and what failed for good.
const SENT_BY_HOUR = statement(
  'mail.outbox.sent-by-hour',
  `SELECT ${hourBinSql('sent_at')} AS hour, count(*)::int AS count FROM mail_outbox WHERE sent_at >= $1 AND sent_at < $2 GROUP BY 1`,
);
const OLDEST_WAITING = statement(
  'mail.outbox.oldest-waiting',
  `SELECT min(created_at) AS oldest FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL`,
);
const WAITING_AND_FAILED = statement(
  'mail.outbox.waiting-and-failed',
  `SELECT (SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL)::int AS waiting,
          (SELECT count(*) FROM mail_outbox WHERE failed_at IS NOT NULL)::int AS failed`,
);
const RELAY = relayStatements('mail.outbox', 'mail_outbox', 'o.sent_at IS NULL AND o.failed_at IS NULL');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Mail's own tables: the outbox and the per-(user, bucket) cooldowns. No other module reads or writes them. */
@Injectable()
export class OutboxRepository extends RelayedTable {
  readonly noun = 'email(s)';

  constructor(db: DatabaseService) {
    super(db, RELAY);
  }

  /** Adds an email in the caller's transaction, unless a cooldown is given and not over. */
  async record(tx: Tx, email: NewEmail, cooldown?: CooldownClaim): Promise<RecordOutcome> {
    const recorded = await tx.query<{ id: string }>(RECORD, [
      newId(),
      email.kind,
      email.userId,
      email.recipient,
      JSON.stringify(email.payload),
      email.requestId,
      email.firstContact,
      cooldown?.bucket ?? null,
      cooldown?.seconds ?? null,
      cooldown?.perDay ?? null,
      email.outlivesUser,
      email.locale,
    ]);
    if (recorded.length > 0 || !cooldown) return { recorded: true };
    const [held] = await tx.query<{ until: Date }>(HELD_UNTIL, [email.userId, cooldown.bucket, cooldown.perDay, cooldown.seconds]);
    return { recorded: false, heldUntil: held?.until ?? null };
  }

  /**
   * One email (kind, bucket, seconds, per day, first contact: `$3`…`$7`) for each row of relation
   * `source` where its boolean column `when` holds (at most one row: the email's id is `$1`, the
   * request id `$2`), to the columns `userId` and `email`: rows gathered with the other emails of a
   * composed statement, all recorded by one cooldown claim and one outbox insert.
   */
  recordFromRows(prefix: string, source: string, when: string, columns: { userId: string; email: string }): Gather {
    const wanted = `${prefix}wanted`;
    return {
      key: 'mail.outbox.record',
      relation: wanted,
      select: `SELECT $1::uuid AS id, $3::text AS kind, s."${columns.userId}" AS user_id, s."${columns.email}" AS recipient,
                '{}'::jsonb AS payload, $2::text AS request_id, $7::boolean AS first_contact,
                $4::text AS bucket, $5::float8 AS seconds, $6::int AS per_day, false AS outlives_user, NULL::text AS locale
           FROM "${source}" s WHERE s."${when}"`,
      writes: recordEmailsCtes(prefix, wanted),
      wrote: `EXISTS (SELECT 1 FROM ${prefix}recorded)`,
    };
  }

  // The worker's per-email statements are prepared, each shared by the jobs running at the same
  // moment: on the hot path round trips and query building cost more CPU than the queries themselves.
  readonly find = batchCalls<string, OutboxEmail | null>(async (ids) => {
    // A job of an older release may carry a numeric id: no row of this schema has it.
    const valid = ids.filter((id) => UUID.test(id));
    const rows = valid.length > 0 ? await this.db.query<OutboxRow>(FIND, [valid]) : [];
    const byId = new Map(rows.map((row) => [row.id, toEmail(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  /** Records sends in the caller's transaction; returns the time recorded. */
  async markSent(tx: Tx, sends: ReadonlyArray<{ id: string; messageId: string }>): Promise<Date> {
    const sentAt = new Date();
    await tx.query(MARK_SENT, [sentAt, sends.map((s) => s.id), sends.map((s) => s.messageId)]);
    return sentAt;
  }

  /** Records that the email failed for good, in the caller's transaction; returns whether this call did. */
  async markFailed(tx: Tx, id: string, error: string): Promise<boolean> {
    return (await tx.query(MARK_FAILED, [id, error])).length > 0;
  }

  async listFailed(limit: number): Promise<OutboxEmail[]> {
    return (await this.db.query<OutboxRow>(LIST_FAILED, [limit])).map(toEmail);
  }

  /** Hands failed emails back to the relay (all, or the given ids); returns the ids. */
  async requeueFailed(ids?: string[]): Promise<string[]> {
    return (await this.db.query<{ id: string }>(REQUEUE_FAILED, [ids ?? null])).map((r) => r.id);
  }

  /** Deletes up to `limit` rows sent or failed before `cutoff`; returns how many. */
  async purge(cutoff: Date, limit: number): Promise<number> {
    return (await this.db.query(PURGE, [cutoff, limit])).length;
  }

  /** Emails the relay has not handed to the queue yet (the partial index on pending rows). */
  sentByHour(from: Date, to: Date): Promise<HourlyCount[]> {
    return this.db.query<HourlyCount>(SENT_BY_HOUR, [from, to]);
  }

  async waitingAndFailed(): Promise<{ waiting: number; failed: number }> {
    const [row] = await this.db.query<{ waiting: number; failed: number }>(WAITING_AND_FAILED, []);
    return row;
  }

  async oldestWaiting(): Promise<Date | null> {
    const [row] = await this.db.query<{ oldest: Date | null }>(OLDEST_WAITING, []);
    return row?.oldest ?? null;
  }

  async unqueuedCount(): Promise<number> {
    return (await this.db.query<{ count: number }>(UNQUEUED, []))[0].count;
  }

  async sentToNewAddressesLastMinute(): Promise<number> {
    return (await this.db.query<{ count: number }>(SENT_TO_NEW_ADDRESSES, []))[0].count;
  }

  /** Of the `window` most recent emails that finished: how many were sent, since when, and how many after `after`. */
  async recentSends(window: number, after: Date | null): Promise<{ sends: number; since: Date | null; sendsAfter: number }> {
    const [row] = await this.db.query<{ sends: number; since: Date | null; sends_after: number }>(RECENT_SENDS, [window, after]);
    return { sends: row.sends, since: row.since, sendsAfter: row.sends_after };
  }

  async claimUnqueued(tx: Tx, limit: number): Promise<RelayedRow[]> {
    const rows = await tx.query<{ id: string; generation: number; kind: string; request_id: string | null }>(CLAIM_UNQUEUED, [limit]);
    return rows.map((row) => ({
      id: row.id,
      generation: row.generation,
      job: { name: row.kind, data: { outboxId: row.id, requestId: row.request_id ?? undefined } satisfies MailJobData },
    }));
  }
}

const toEmail = (row: OutboxRow): OutboxEmail => ({
  id: row.id,
  kind: row.kind,
  userId: row.user_id,
  recipient: row.recipient,
  payload: row.payload,
  firstContact: row.first_contact,
  createdAt: row.created_at,
  sentAt: row.sent_at,
  failedAt: row.failed_at,
  error: row.error,
  locale: row.locale ?? null,
});
