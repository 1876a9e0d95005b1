import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, type Repository } from 'typeorm';
import { OutboxMessage } from './outbox-message.entity.js';

@Injectable()
export class OutboxRepository {
  constructor(@InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>) {}

  find(id: string): Promise<OutboxMessage | null> {
    return this.messages.findOneBy({ id });
  }

  async markSent(id: string, messageId: string): Promise<Date> {
    const sentAt = new Date();
    await this.messages.update({ id }, { sentAt, messageId });
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
