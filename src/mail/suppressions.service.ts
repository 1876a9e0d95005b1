import { Injectable } from '@nestjs/common';
import { normalizeEmail } from '../common/validation/email-address.js';
import { batchCalls } from '../database/batch-calls.js';
import type { Tx } from '../database/tx.js';
import { SuppressionsRepository, type Suppression, type SuppressionReason } from './suppressions.repository.js';

/**
 * Addresses nothing is sent to: a hard bounce, a complaint, or repeated soft bounces (SES feedback
 * decides; Mail keeps the list and checks it before every send). Kept in clear (the admin list
 * shows them) and independent of users: deleting a user does not make the address mailable again;
 * only an admin lifting it does.
 */
@Injectable()
export class SuppressionsService {
  constructor(private readonly suppressions: SuppressionsRepository) {}

  /** Why the address is suppressed, or null. The worker asks before every send; the jobs running at the same moment share one query. */
  reasonFor(email: string): Promise<SuppressionReason | null> {
    return this.lookup(normalizeEmail(email));
  }

  private readonly lookup = batchCalls<string, SuppressionReason | null>(async (emails) => {
    const reasons = await this.suppressions.reasons([...new Set(emails)]);
    return emails.map((email) => reasons.get(email) ?? null);
  });

  /** Adds the address in the caller's transaction; true when it was not suppressed before. */
  suppress(tx: Tx, email: string, reason: SuppressionReason, detail: string): Promise<boolean> {
    return this.suppressions.insert(tx, normalizeEmail(email), reason, detail.slice(0, 500));
  }

  list(limit = 1000, offset = 0): Promise<Suppression[]> {
    return this.suppressions.list(limit, offset);
  }

  /** Lifts a suppression; false when the address was not suppressed. */
  lift(email: string): Promise<boolean> {
    return this.suppressions.delete(normalizeEmail(email));
  }
}
