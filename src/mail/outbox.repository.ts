import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, type Repository } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { batchCalls } from '../database/batch-calls.js';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import type { Tx } from '../database/tx.js';
import { OutboxMessage } from './outbox-message.entity.js';

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
}

export interface NewOutboxRow {
  kind: string;
  userId: string;
  recipient: string;
  payload: object;
  firstContact: boolean;
  requestId: string | null;
}

export interface CooldownClaim {
  bucket: string;
  seconds: number;
  perDay: number;
}

/**
 * The columns of a relation of emails to record, one row per email; `bucket` null when the kind has
 * no cooldown. At most one email per (user, bucket) in one statement.
 */
const WANTED_COLUMNS = 'id, kind, user_id, recipient, payload, request_id, first_contact, bucket, seconds, per_day';

/** The CTE of recordEmailsCtes that yields the ids of the emails recorded. */
export const RECORDED = 'mail_recorded';

/**
 * Records the emails of relation `wanted`: each with a cooldown only when its (user, bucket) claim
 * succeeds, by one conditional upsert, so concurrent requests on any number of instances let one
 * email through. Within a day the wait doubles after each email and at most `per_day` go out; a
 * day after the first, the count starts again. Yields RECORDED (id).
 */
function recordEmailsCtes(wanted: string): Array<[string, string]> {
  const ofClaim = (column: string) => `(SELECT w.${column} FROM ${wanted} w WHERE w.user_id = c.user_id AND w.bucket = c.bucket)`;
  return [
    [
      'mail_claimed',
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
      RECORDED,
      `INSERT INTO mail_outbox (id, kind, user_id, recipient, payload, request_id, first_contact)
       SELECT w.id, w.kind, w.user_id, w.recipient, w.payload, w.request_id, w.first_contact
         FROM ${wanted} w LEFT JOIN mail_claimed c ON c.user_id = w.user_id AND c.bucket = w.bucket
        WHERE w.bucket IS NULL OR c.user_id IS NOT NULL
       RETURNING id`,
    ],
  ];
}

/**
 * CTEs recording the email of each row of relation `source` (at most one row: every email gets the
 * id in $1), by its columns `userId`, `to` and `firstContact`. $2 is the request id; then, for each
 * of `kinds` kinds, (name, bucket, seconds, per day). With two kinds, the boolean column `chooseBy`
 * picks the first (true) or the second.
 */
export function recordEmailsFromCtes(
  source: string,
  columns: { userId: string; to: string; firstContact: string },
  kinds: number,
  chooseBy?: string,
): Array<[string, string]> {
  const values = Array.from({ length: kinds }, (_, i) => {
    const n = 3 + 4 * i;
    return `($${n}::text, $${n + 1}::text, $${n + 2}::float8, $${n + 3}::int)`;
  });
  const chosen = chooseBy ? `k.kind = CASE WHEN s."${chooseBy}" THEN $3 ELSE $7 END` : 'true';
  const wanted = `SELECT $1::uuid AS id, k.kind, s."${columns.userId}" AS user_id, s."${columns.to}" AS recipient, '{}'::jsonb AS payload,
                         $2::text AS request_id, s."${columns.firstContact}" AS first_contact, k.bucket, k.seconds, k.per_day
                    FROM "${source}" s JOIN (VALUES ${values.join(', ')}) AS k (kind, bucket, seconds, per_day) ON ${chosen}`;
  return [['mail_wanted', wanted], ...recordEmailsCtes('mail_wanted')];
}

const INSERT = statement(
  'mail.outbox.insert',
  `WITH mail_wanted (${WANTED_COLUMNS}) AS (
     SELECT $1::uuid, $2::text, $3::uuid, $4::text, $5::jsonb, $6::text, $7::boolean, $8::text, $9::float8, $10::int
   ),
   ${recordEmailsCtes('mail_wanted')
     .map(([name, sql]) => `${name} AS (${sql})`)
     .join(',\n')}
   SELECT id FROM ${RECORDED}`,
);

const FIND = statement(
  'mail.outbox.find',
  `SELECT id, kind, user_id, recipient, payload, first_contact, created_at, sent_at, failed_at FROM mail_outbox WHERE id = ANY($1::uuid[])`,
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

const PURGE = statement(
  'mail.outbox.purge',
  `DELETE FROM mail_outbox WHERE id IN (
     SELECT id FROM mail_outbox WHERE sent_at < $1 OR failed_at < $1 LIMIT $2)
   RETURNING 1`,
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Mail's own tables: the outbox and the per-(user, bucket) cooldowns. No other module writes them. */
@Injectable()
export class OutboxRepository {
  constructor(
    @InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>,
    private readonly db: DatabaseService,
  ) {}

  /** Adds a row in the caller's transaction, unless a cooldown is given and not over; returns its id, or null. */
  async insert(tx: Tx, row: NewOutboxRow, cooldown?: CooldownClaim): Promise<string | null> {
    const [inserted] = await tx.query<{ id: string }>(INSERT, [
      uuidv7(),
      row.kind,
      row.userId,
      row.recipient,
      JSON.stringify(row.payload),
      row.requestId,
      row.firstContact,
      cooldown?.bucket ?? null,
      cooldown?.seconds ?? null,
      cooldown?.perDay ?? null,
    ]);
    return inserted?.id ?? null;
  }

  // The worker's per-email statements are prepared, each shared by the jobs running at the same
  // moment: on the hot path round trips and query building cost more CPU than the queries themselves.
  readonly find = batchCalls<string, OutboxMessage | null>(async (ids) => {
    // A job of an older release may carry a numeric id: no row of this schema has it.
    const valid = ids.filter((id) => UUID.test(id));
    const rows = valid.length > 0 ? await this.db.query<OutboxRow>(FIND, [valid]) : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => {
      const row = byId.get(id);
      return row ? this.toMessage(row) : null;
    });
  });

  /** Records the send; resolves with the time recorded. */
  readonly markSent = batchCalls<{ id: string; messageId: string }, Date>(async (sends) => {
    const sentAt = new Date();
    await this.db.query(MARK_SENT, [sentAt, sends.map((s) => s.id), sends.map((s) => s.messageId)]);
    return sends.map(() => sentAt);
  });

  /** Records that the email failed for good, in the caller's transaction; returns whether this call did. */
  async markFailed(tx: Tx, id: string, error: string): Promise<boolean> {
    return (await tx.query(MARK_FAILED, [id, error])).length > 0;
  }

  listFailed(limit: number): Promise<OutboxMessage[]> {
    return this.messages.find({ where: { failedAt: Not(IsNull()) }, order: { failedAt: 'DESC' }, take: limit });
  }

  /**
   * Hands failed emails back to the relay with a new generation (so a new job id). Only rows still
   * failed are touched, so two admins retrying at once queue each email once. Returns the ids.
   */
  async requeueFailed(ids?: string[]): Promise<string[]> {
    const rows: [Array<{ id: string }>, number] = await this.messages.query(
      `UPDATE mail_outbox
          SET failed_at = NULL, error = NULL, enqueued_at = NULL, generation = generation + 1
        WHERE failed_at IS NOT NULL AND sent_at IS NULL AND ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))
        RETURNING id`,
      [ids ?? null],
    );
    return rows[0].map((r) => r.id);
  }

  /** Deletes up to `limit` rows sent or failed before `cutoff`; returns how many. */
  async purge(cutoff: Date, limit: number): Promise<number> {
    return (await this.db.query(PURGE, [cutoff, limit])).length;
  }

  private toMessage(row: OutboxRow): OutboxMessage {
    return this.messages.create({
      id: row.id,
      kind: row.kind,
      userId: row.user_id,
      recipient: row.recipient,
      payload: row.payload,
      firstContact: row.first_contact,
      createdAt: row.created_at,
      sentAt: row.sent_at,
      failedAt: row.failed_at,
    });
  }
}
