import { Injectable } from '@nestjs/common';
import { SYSTEM_CONTEXT, type RequestContext } from '../common/request-context.js';
import { batchCalls } from '../database/batch-calls.js';
import { DatabaseService } from '../database/database.service.js';
import { EmailFailed, EmailSent } from './mail.facts.js';
import type { OutboxEmail } from './outbox-email.js';
import { OutboxRepository } from './outbox.repository.js';

/**
 * Records how an email ended, with its fact, in one transaction: whoever follows the fact (the
 * user's `email_sent`, the `email.failed` webhook) changes with the outbox row or not at all.
 */
@Injectable()
export class EmailOutcomes {
  constructor(
    private readonly db: DatabaseService,
    private readonly outbox: OutboxRepository,
  ) {}

  /** SES accepted it; resolves with the time recorded. The jobs finishing at the same moment share one transaction. */
  sent(email: OutboxEmail, messageId: string): Promise<Date> {
    return this.recordSent({ email, messageId });
  }

  private readonly recordSent = batchCalls<{ email: OutboxEmail; messageId: string }, Date>((sends) =>
    this.db.transaction(SYSTEM_CONTEXT, async (tx) => {
      const sentAt = await this.outbox.markSent(
        tx,
        sends.map((s) => ({ id: s.email.id, messageId: s.messageId })),
      );
      await tx.record(
        ...sends.map(({ email }) => new EmailSent({ kind: email.kind, userId: email.userId, sentAt, requestedAt: email.createdAt })),
      );
      return sends.map(() => sentAt);
    }),
  );

  /** Given up for good, once however often a job gets here; returns whether this call failed it. */
  failed(email: OutboxEmail, reason: string, context: RequestContext): Promise<boolean> {
    return this.db.transaction(context, async (tx) => {
      if (!(await this.outbox.markFailed(tx, email.id, reason))) return false;
      await tx.record(new EmailFailed({ kind: email.kind, userId: email.userId, email: email.recipient, reason }));
      return true;
    });
  }
}
