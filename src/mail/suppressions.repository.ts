import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import type { Tx } from '../database/tx.js';

export type SuppressionReason = 'bounce' | 'complaint';

export interface Suppression {
  email: string;
  reason: SuppressionReason;
  detail: string;
  createdAt: Date;
}

const FIND_MANY = statement('mail.suppressions.find-many', `SELECT email, reason FROM email_suppressions WHERE email = ANY($1::varchar[])`);
const INSERT = statement(
  'mail.suppressions.insert',
  `INSERT INTO email_suppressions (email, reason, detail) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING email`,
);
const LIST = statement(
  'mail.suppressions.list',
  `SELECT email, reason, detail, created_at FROM email_suppressions ORDER BY created_at DESC, email LIMIT $1 OFFSET $2`,
);
const DELETE = statement('mail.suppressions.delete', `DELETE FROM email_suppressions WHERE email = $1 RETURNING email`);

/** The email_suppressions table (normalised addresses). */
@Injectable()
export class SuppressionsRepository {
  constructor(private readonly db: DatabaseService) {}

  async reasons(emails: readonly string[]): Promise<Map<string, SuppressionReason>> {
    const rows = await this.db.query<{ email: string; reason: SuppressionReason }>(FIND_MANY, [emails]);
    return new Map(rows.map((row) => [row.email, row.reason]));
  }

  /** True when the address was not suppressed before. */
  async insert(tx: Tx, email: string, reason: SuppressionReason, detail: string): Promise<boolean> {
    return (await tx.query(INSERT, [email, reason, detail])).length > 0;
  }

  async list(limit: number, offset: number): Promise<Suppression[]> {
    const rows = await this.db.query<{ email: string; reason: SuppressionReason; detail: string; created_at: Date }>(LIST, [limit, offset]);
    return rows.map((row) => ({ email: row.email, reason: row.reason, detail: row.detail, createdAt: row.created_at }));
  }

  async delete(email: string): Promise<boolean> {
    return (await this.db.query(DELETE, [email])).length > 0;
  }
}
