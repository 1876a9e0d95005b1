import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import type { Tx } from '../database/tx.js';
import { hourBinSql } from '../common/hourly.js';

export interface FeedbackEvent {
  kind: string;
  subtype: string;
  countsForRate: boolean;
  sesMessageId: string | null;
  recipientHash: Buffer;
  mailSentAt: Date | null;
}

/** How a bounce's or complaint's SES feedback id is kept among the handled messages. */
export const FEEDBACK_ID_TYPE = 'feedback-id';
const FEEDBACK_ID_PREFIX = 'feedback-id:';

const CLAIM_MESSAGE = statement(
  'ses.feedback.claim-message',
  `INSERT INTO ses_feedback_messages (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING 1`,
);
const INSERT_EVENT = statement(
  'ses.feedback.insert-event',
  `INSERT INTO ses_feedback_events (kind, subtype, counts_for_rate, ses_message_id, recipient_hash, mail_sent_at) VALUES ($1, $2, $3, $4, $5, $6)`,
);
// Concurrent soft bounces for one address take turns, so the one that reaches the limit sees the others.
const LOCK_RECIPIENT = statement(
  'ses.feedback.lock-recipient',
  `SELECT pg_advisory_xact_lock(hashtextextended(encode($1::bytea, 'hex'), 11))`,
);
const SOFT_BOUNCES = statement(
  'ses.feedback.soft-bounces',
  `SELECT count(*)::int AS count FROM ses_feedback_events
    WHERE recipient_hash = $1 AND subtype LIKE 'Transient/%' AND received_at > now() - make_interval(days => $2)`,
);
// Bounces and complaints of emails sent since $1, each email once (an SNS message seen on both the
// HTTPS and the SQS path is one bounce); `_after`: of those sent after $2.
const RATES = statement(
  'ses.feedback.rates',
  `SELECT count(DISTINCT ses_message_id) FILTER (WHERE kind = 'bounce')::int AS bounces,
          count(DISTINCT ses_message_id) FILTER (WHERE kind = 'complaint')::int AS complaints,
          count(DISTINCT ses_message_id) FILTER (WHERE kind = 'bounce' AND ($2::timestamptz IS NULL OR mail_sent_at > $2))::int AS bounces_after,
          count(DISTINCT ses_message_id) FILTER (WHERE kind = 'complaint' AND ($2::timestamptz IS NULL OR mail_sent_at > $2))::int AS complaints_after
     FROM ses_feedback_events WHERE counts_for_rate AND mail_sent_at >= $1`,
);
// The funnel (GET /api/admin/stats): what counts towards SES's rates, by the hour SES told us, each email once.
const BY_HOUR = statement(
  'ses.feedback.by-hour',
  `SELECT ${hourBinSql('received_at')} AS hour,
          count(DISTINCT ses_message_id) FILTER (WHERE kind = 'bounce')::int AS bounced,
          count(DISTINCT ses_message_id) FILTER (WHERE kind = 'complaint')::int AS complained
     FROM ses_feedback_events WHERE counts_for_rate AND received_at >= $1 AND received_at < $2 GROUP BY 1`,
);
const PURGE_MESSAGES = statement(
  'ses.feedback.purge-messages',
  `DELETE FROM ses_feedback_messages WHERE id IN (SELECT id FROM ses_feedback_messages WHERE received_at < $1 LIMIT $2) RETURNING 1`,
);
const PURGE_EVENTS = statement(
  'ses.feedback.purge-events',
  `DELETE FROM ses_feedback_events WHERE id IN (SELECT id FROM ses_feedback_events WHERE received_at < $1 LIMIT $2) RETURNING 1`,
);

/** What SES told us: the handled message ids (ses_feedback_messages) and, per recipient, the bounce or complaint (ses_feedback_events). */
@Injectable()
export class SesFeedbackRepository {
  constructor(private readonly db: DatabaseService) {}

  /** False when the message was handled before. */
  async claimMessage(tx: Tx, key: string, type: string): Promise<boolean> {
    return (await tx.query(CLAIM_MESSAGE, [key.slice(0, 200), type.slice(0, 40)])).length > 0;
  }

  /**
   * False when a bounce or complaint with this SES feedback id was handled before (it is kept
   * with the handled messages, as their kind `feedback-id`, and purged with them).
   */
  async claimFeedbackId(tx: Tx, feedbackId: string): Promise<boolean> {
    return this.claimMessage(tx, `${FEEDBACK_ID_PREFIX}${feedbackId}`, FEEDBACK_ID_TYPE);
  }

  async insertEvent(tx: Tx, e: FeedbackEvent): Promise<void> {
    await tx.query(INSERT_EVENT, [e.kind, e.subtype, e.countsForRate, e.sesMessageId, e.recipientHash, e.mailSentAt]);
  }

  /** Holds, until the transaction ends, the recipient's turn at counting soft bounces. */
  async lockRecipient(tx: Tx, recipientHash: Buffer): Promise<void> {
    await tx.query(LOCK_RECIPIENT, [recipientHash]);
  }

  async softBounces(tx: Tx, recipientHash: Buffer, days: number): Promise<number> {
    return (await tx.query<{ count: number }>(SOFT_BOUNCES, [recipientHash, days]))[0].count;
  }

  async rates(
    since: Date,
    after: Date | null,
  ): Promise<{ bounces: number; complaints: number; bouncesAfter: number; complaintsAfter: number }> {
    const [row] = await this.db.query<{ bounces: number; complaints: number; bounces_after: number; complaints_after: number }>(RATES, [
      since,
      after,
    ]);
    return { bounces: row.bounces, complaints: row.complaints, bouncesAfter: row.bounces_after, complaintsAfter: row.complaints_after };
  }

  /** Deletes messages and events received before `cutoff`, up to `limit` of each; returns how many rows went. */
  byHour(from: Date, to: Date): Promise<Array<{ hour: Date; bounced: number; complained: number }>> {
    return this.db.query(BY_HOUR, [from, to]);
  }

  async purge(cutoff: Date, limit: number): Promise<number> {
    const messages = (await this.db.query(PURGE_MESSAGES, [cutoff, limit])).length;
    const events = (await this.db.query(PURGE_EVENTS, [cutoff, limit])).length;
    return messages + events;
  }
}
