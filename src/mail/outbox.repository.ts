import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, type Repository } from 'typeorm';
import { PreparedSql } from '../database/prepared-sql.service.js';
import { OutboxMessage } from './outbox-message.entity.js';

@Injectable()
export class OutboxRepository {
  constructor(
    @InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>,
    private readonly sql: PreparedSql,
  ) {}

  // The worker's per-email statements are prepared SQL: on the hot path TypeORM's query building
  // cost more CPU than the queries themselves (see README, Performance).
  async find(id: string): Promise<OutboxMessage | null> {
    const rows = await this.sql.query(
      'mail.outbox.find',
      `SELECT id, kind, user_id, recipient, created_at, sent_at, failed_at FROM mail_outbox WHERE id = $1`,
      [id],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return this.messages.create({
      id: String(r.id),
      kind: r.kind as OutboxMessage['kind'],
      userId: r.user_id as string,
      recipient: r.recipient as string,
      createdAt: r.created_at as Date,
      sentAt: r.sent_at as Date | null,
      failedAt: r.failed_at as Date | null,
    });
  }

  async markSent(id: string, messageId: string): Promise<Date> {
    const sentAt = new Date();
    await this.sql.query('mail.outbox.mark-sent', `UPDATE mail_outbox SET sent_at = $2, message_id = $3 WHERE id = $1`, [
      id,
      sentAt,
      messageId,
    ]);
    return sentAt;
  }

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
}
