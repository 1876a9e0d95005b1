import { Injectable } from '@nestjs/common';
import { normalizeEmail } from '../common/validation/email-address.js';
import { batchCalls } from '../database/batch-calls.js';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import type { Tx } from '../database/tx.js';
import type { SuppressionReason } from './events/ses-feedback.events.js';

export interface Suppression {
  email: string;
  reason: SuppressionReason;
  detail: string;
  createdAt: Date;
}

const FIND_MANY = statement('ses.suppressions.find-many', `SELECT email, reason FROM email_suppressions WHERE email = ANY($1::varchar[])`);
const INSERT = statement(
  'ses.suppressions.insert',
  `INSERT INTO email_suppressions (email, reason, detail) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING email`,
);
const LIST = statement(
  'ses.suppressions.list',
  `SELECT email, reason, detail, created_at FROM email_suppressions ORDER BY created_at DESC, email LIMIT $1 OFFSET $2`,
);
const DELETE = statement('ses.suppressions.delete', `DELETE FROM email_suppressions WHERE email = $1 RETURNING email`);

/**
 * Addresses nothing is sent to: a hard bounce, a complaint, or repeated soft bounces. Kept in
 * PostgreSQL, in clear (the admin list shows them), independent of users: deleting a user does
 * not make the address mailable again; only an admin lifting it does.
 */
@Injectable()
export class SuppressionsService {
  constructor(private readonly db: DatabaseService) {}

  /**
   * Why the address is suppressed, or null. Called by the worker before every send; the jobs
   * running at the same moment share one query.
   */
  reasonFor(email: string): Promise<SuppressionReason | null> {
    return this.lookup(normalizeEmail(email));
  }

  private readonly lookup = batchCalls<string, SuppressionReason | null>(async (emails) => {
    const rows = await this.db.query<{ email: string; reason: SuppressionReason }>(FIND_MANY, [[...new Set(emails)]]);
    const byEmail = new Map(rows.map((row) => [row.email, row.reason]));
    return emails.map((email) => byEmail.get(email) ?? null);
  });

  /** Adds the address in the caller's transaction; true when it was not suppressed before. */
  async suppress(tx: Tx, email: string, reason: SuppressionReason, detail: string): Promise<boolean> {
    return (await tx.query(INSERT, [normalizeEmail(email), reason, detail.slice(0, 500)])).length > 0;
  }

  async list(limit = 1000, offset = 0): Promise<Suppression[]> {
    const rows = await this.db.query<{ email: string; reason: SuppressionReason; detail: string; created_at: Date }>(LIST, [limit, offset]);
    return rows.map((row) => ({ email: row.email, reason: row.reason, detail: row.detail, createdAt: row.created_at }));
  }

  /** Lifts a suppression; false when the address was not suppressed. */
  async lift(email: string): Promise<boolean> {
    return (await this.db.query(DELETE, [normalizeEmail(email)])).length > 0;
  }
}
