import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, type Repository } from 'typeorm';
import { batchCalls } from '../database/batch-calls.js';
import { PreparedSql } from '../database/prepared-sql.service.js';
import { OutboxMessage } from './outbox-message.entity.js';

interface OutboxRow {
  id: string;
  kind: OutboxMessage['kind'];
  user_id: string;
  recipient: string;
  created_at: Date;
  sent_at: Date | null;
  failed_at: Date | null;
}

@Injectable()
export class OutboxRepository {
  constructor(
    @InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>,
    private readonly sql: PreparedSql,
  ) {}

  // The worker's per-email statements are prepared SQL, each shared by the jobs running at the same
  // moment: on the hot path round trips and TypeORM's query building cost more CPU than the
  // queries themselves (see README, Performance).
  readonly find = batchCalls<string, OutboxMessage | null>(async (ids) => {
    const rows = await this.sql.query<OutboxRow>(
      'mail.outbox.find',
      `SELECT id, kind, user_id, recipient, created_at, sent_at, failed_at FROM mail_outbox WHERE id = ANY($1::bigint[])`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [String(row.id), row]));
    return ids.map((id) => {
      const row = byId.get(id);
      return row ? this.toMessage(row) : null;
    });
  });

  /** Records the send; resolves with the time recorded. */
  readonly markSent = batchCalls<{ id: string; messageId: string }, Date>(async (sends) => {
    const sentAt = new Date();
    await this.sql.query(
      'mail.outbox.mark-sent',
      `UPDATE mail_outbox m SET sent_at = $1, message_id = sent.message_id
         FROM unnest($2::bigint[], $3::text[]) AS sent(id, message_id)
        WHERE m.id = sent.id`,
      [sentAt, sends.map((s) => s.id), sends.map((s) => s.messageId)],
    );
    return sends.map(() => sentAt);
  });

  async markFailed(id: string, error: string): Promise<void> {
    await this.messages.update({ id }, { failedAt: new Date(), error });
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
        WHERE failed_at IS NOT NULL AND sent_at IS NULL AND ($1::bigint[] IS NULL OR id = ANY($1::bigint[]))
        RETURNING id`,
      [ids ?? null],
    );
    return rows[0].map((r) => String(r.id));
  }

  private toMessage(row: OutboxRow): OutboxMessage {
    return this.messages.create({
      id: String(row.id),
      kind: row.kind,
      userId: row.user_id,
      recipient: row.recipient,
      createdAt: row.created_at,
      sentAt: row.sent_at,
      failedAt: row.failed_at,
    });
  }
}
