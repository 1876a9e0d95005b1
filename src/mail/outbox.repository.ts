import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
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
}
