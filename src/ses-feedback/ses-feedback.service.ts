import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { SYSTEM_CONTEXT, type RequestContext } from '../common/request-context.js';
import { Environment } from '../config/environment.js';
import { DatabaseService } from '../database/database.service.js';
import { FactBus } from '../database/fact-bus.js';
import type { DataOf } from '../database/fact.js';
import type { Tx } from '../database/tx.js';
import { maskEmail } from '../logging/mask-email.js';
import type { SuppressionReason } from '../mail/suppressions.repository.js';
import { SuppressionsService } from '../mail/suppressions.service.js';
import { UsersService } from '../users/users.service.js';
import { ReputationGuard } from './reputation-guard.service.js';
import { AddressSuppressed, SesFeedbackReceived } from './ses-feedback.facts.js';
import { countsForRate, isPermanent, isTransient, type SesFeedback } from './ses-feedback.parser.js';
import { SesFeedbackRepository } from './ses-feedback.repository.js';

const SOFT_BOUNCE_DAYS = 7;

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
    private readonly feedbackStore: SesFeedbackRepository,
    private readonly suppressions: SuppressionsService,
    private readonly guard: ReputationGuard,
    private readonly users: UsersService,
    private readonly facts: FactBus,
  ) {}

  /** Bounces and complaints that count towards SES's rates, per hour they arrived in [from, to) (the funnel). */
  feedbackByHour(from: Date, to: Date): Promise<Array<{ hour: Date; bounced: number; complained: number }>> {
    return this.feedbackStore.byHour(from, to);
  }

  /**
   * `key`: what makes the message unique (the SNS MessageId, or a hash of a raw SQS body).
   * `duringClaim` runs inside the transaction once the message is known to be new (confirming a
   * subscription); if it throws, nothing is recorded and the message can come again.
   */
  async ingest(
    key: string,
    feedback: SesFeedback | { kind: 'control'; type: string },
    duringClaim?: () => Promise<void>,
    context: RequestContext = SYSTEM_CONTEXT,
  ): Promise<IngestResult> {
    const type = feedback.kind === 'other' || feedback.kind === 'control' ? feedback.type : feedback.kind;
    const suppressed = await this.db.transaction(context, async (tx) => {
      if (!(await this.feedbackStore.claimMessage(tx, key, type))) return null;
      // The same bounce comes as an SNS message and as a raw SQS body, under different keys: SES's
      // own id for it makes the second copy a duplicate whichever way it came.
      if ((feedback.kind === 'bounce' || feedback.kind === 'complaint') && feedback.feedbackId !== null) {
        if (!(await this.feedbackStore.claimFeedbackId(tx, feedback.feedbackId))) return null;
      }
      await duringClaim?.();
      return feedback.kind === 'bounce' || feedback.kind === 'complaint' ? this.record(tx, feedback) : [];
    });
    if (suppressed === null) return 'duplicate';
    for (const { email, reason, detail } of suppressed) this.logger.warn(`Suppressed ${maskEmail(email)} (${reason}: ${detail})`);
    if (feedback.kind !== 'bounce' && feedback.kind !== 'complaint') return feedback.kind === 'control' ? 'handled' : 'ignored';

    for (const _ of feedback.recipients) this.facts.observe(new SesFeedbackReceived({ kind: feedback.kind, subtype: feedback.subtype }));
    if (countsForRate(feedback))
      await this.guard.evaluate().catch((error: Error) => this.logger.warn(`Reputation check failed: ${error.message}`));
    return 'handled';
  }

  /** Deletes feedback older than `cutoff` in batches of `limit`; returns how many rows went. */
  purge(cutoff: Date, limit: number): Promise<number> {
    return this.feedbackStore.purge(cutoff, limit);
  }

  /** Returns the addresses this message suppressed. */
  private async record(
    tx: Tx,
    feedback: Extract<SesFeedback, { kind: 'bounce' | 'complaint' }>,
  ): Promise<Array<DataOf<AddressSuppressed>>> {
    const suppressed: Array<DataOf<AddressSuppressed>> = [];
    for (const { email, diagnostic } of feedback.recipients) {
      const hash = recipientHash(email);
      const transient = isTransient(feedback);
      if (transient) await this.feedbackStore.lockRecipient(tx, hash);
      await this.feedbackStore.insertEvent(tx, {
        kind: feedback.kind,
        subtype: feedback.subtype,
        countsForRate: countsForRate(feedback),
        sesMessageId: feedback.sesMessageId,
        recipientHash: hash,
        mailSentAt: feedback.mailSentAt,
      });
      const reason: SuppressionReason = feedback.kind;
      let detail: string | null = null;
      if (isPermanent(feedback)) {
        detail = diagnostic ? `${feedback.subtype}: ${diagnostic}` : feedback.subtype;
      } else if (transient) {
        const count = await this.feedbackStore.softBounces(tx, hash, SOFT_BOUNCE_DAYS);
        if (count >= this.env.SES_SOFT_BOUNCE_LIMIT)
          detail = `${count} soft bounces within ${SOFT_BOUNCE_DAYS} days, the last ${feedback.subtype}`;
      }
      if (detail && (await this.suppressions.suppress(tx, email, reason, detail))) {
        const user = await this.users.findByEmail(email);
        const data = { email, userId: user?.id ?? null, reason, detail };
        await tx.record(new AddressSuppressed(data));
        suppressed.push(data);
      }
    }
    return suppressed;
  }
}
