import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { createHash } from 'node:crypto';
import { maskEmail } from '../common/mask-email.js';
import { Environment } from '../config/environment.js';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import type { Tx } from '../database/tx.js';
import { UsersService } from '../users/users.service.js';
import {
  EMAIL_SUPPRESSED,
  EmailSuppressedEvent,
  SES_FEEDBACK_RECEIVED,
  SesFeedbackReceivedEvent,
  type SuppressionReason,
} from './events/ses-feedback.events.js';
import { ReputationGuard } from './reputation-guard.service.js';
import { countsForRate, isPermanent, isTransient, type SesFeedback } from './ses-feedback.parser.js';
import { SuppressionsService } from './suppressions.service.js';
import { EmailSuppressed } from '../webhooks/webhook-events.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';

interface Suppressed {
  email: string;
  userId: string | null;
  reason: SuppressionReason;
  detail: string;
}

const SOFT_BOUNCE_DAYS = 7;

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
const PURGE_MESSAGES = statement(
  'ses.feedback.purge-messages',
  `DELETE FROM ses_feedback_messages WHERE id IN (SELECT id FROM ses_feedback_messages WHERE received_at < $1 LIMIT $2) RETURNING 1`,
);
const PURGE_EVENTS = statement(
  'ses.feedback.purge-events',
  `DELETE FROM ses_feedback_events WHERE id IN (SELECT id FROM ses_feedback_events WHERE received_at < $1 LIMIT $2) RETURNING 1`,
);

export type IngestResult = 'handled' | 'duplicate' | 'ignored';

const recipientHash = (email: string) => createHash('sha256').update(email).digest();

/**
 * The one handler behind both ways in (the SNS endpoint and the SQS consumer): records a feedback
 * message once, suppresses addresses, and tells the reputation guard. Everything in one
 * transaction: a message redelivered after a crash either finds it all done or nothing done.
 */
@Injectable()
export class SesFeedbackService {
  private readonly logger = new Logger(SesFeedbackService.name);

  constructor(
    private readonly env: Environment,
    private readonly db: DatabaseService,
    private readonly suppressions: SuppressionsService,
    private readonly guard: ReputationGuard,
    private readonly users: UsersService,
    private readonly events: EventEmitter2,
    private readonly webhooks: WebhooksService,
  ) {}

  /**
   * `key`: what makes the message unique (the SNS MessageId, or a hash of a raw SQS body).
   * `duringClaim` runs inside the transaction once the message is known to be new (confirming a
   * subscription); if it throws, nothing is recorded and the message can come again.
   */
  async ingest(
    key: string,
    feedback: SesFeedback | { kind: 'control'; type: string },
    duringClaim?: () => Promise<void>,
  ): Promise<IngestResult> {
    const type = feedback.kind === 'other' || feedback.kind === 'control' ? feedback.type : feedback.kind;
    const outcome = await this.db.transaction(async (tx) => {
      if ((await tx.query(CLAIM_MESSAGE, [key.slice(0, 200), type.slice(0, 40)])).length === 0) return null;
      await duringClaim?.();
      if (feedback.kind !== 'bounce' && feedback.kind !== 'complaint') return [];
      return this.record(tx, feedback);
    });
    if (outcome === null) return 'duplicate';
    if (feedback.kind !== 'bounce' && feedback.kind !== 'complaint') return feedback.kind === 'control' ? 'handled' : 'ignored';

    for (const _ of feedback.recipients)
      this.events.emit(SES_FEEDBACK_RECEIVED, new SesFeedbackReceivedEvent(feedback.kind, feedback.subtype));
    for (const s of outcome) {
      this.logger.warn(`Suppressed ${maskEmail(s.email)} (${s.reason}: ${s.detail})`);
      this.events.emit(EMAIL_SUPPRESSED, new EmailSuppressedEvent(s.email, s.userId, s.reason, s.detail));
    }
    if (countsForRate(feedback))
      await this.guard.evaluate().catch((error: Error) => this.logger.warn(`Reputation check failed: ${error.message}`));
    return 'handled';
  }

  /** Deletes feedback older than `cutoff` in batches of `limit`; returns how many rows went. */
  async purge(cutoff: Date, limit: number): Promise<number> {
    const messages = (await this.db.query(PURGE_MESSAGES, [cutoff, limit])).length;
    const events = (await this.db.query(PURGE_EVENTS, [cutoff, limit])).length;
    return messages + events;
  }

  private async record(tx: Tx, feedback: Extract<SesFeedback, { kind: 'bounce' | 'complaint' }>): Promise<Suppressed[]> {
    const suppressed: Suppressed[] = [];
    for (const { email, diagnostic } of feedback.recipients) {
      const hash = recipientHash(email);
      const transient = isTransient(feedback);
      if (transient) await tx.query(LOCK_RECIPIENT, [hash]);
      await tx.query(INSERT_EVENT, [
        feedback.kind,
        feedback.subtype,
        countsForRate(feedback),
        feedback.sesMessageId,
        hash,
        feedback.mailSentAt,
      ]);
      const reason: SuppressionReason = feedback.kind;
      let detail: string | null = null;
      if (isPermanent(feedback)) {
        detail = diagnostic ? `${feedback.subtype}: ${diagnostic}` : feedback.subtype;
      } else if (transient) {
        const [{ count }] = await tx.query<{ count: number }>(SOFT_BOUNCES, [hash, SOFT_BOUNCE_DAYS]);
        if (count >= this.env.SES_SOFT_BOUNCE_LIMIT)
          detail = `${count} soft bounces within ${SOFT_BOUNCE_DAYS} days, the last ${feedback.subtype}`;
      }
      if (detail && (await this.suppressions.suppress(tx, email, reason, detail))) {
        const [user] = await this.users.list({ email, limit: 1, offset: 0 });
        const userId = user?.id ?? null;
        // An address no user has (any more) is suppressed all the same, but there is no one to tell the app about.
        if (userId) await this.webhooks.publish(tx, EmailSuppressed, { userId, email, reason, detail });
        suppressed.push({ email, userId, reason, detail });
      }
    }
    return suppressed;
  }
}
