import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { currentRequestId } from '../logging/request-id.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { OutboxRelay } from './outbox-relay.service.js';

/** What other modules call to have email sent. Only Mail knows there is an outbox and a queue. */
@Injectable()
export class MailService {
  constructor(private readonly relay: OutboxRelay) {}

  /** Records a confirmation email inside the caller's transaction; nothing leaves until it commits. */
  async queueConfirmation(manager: EntityManager, message: { userId: string; recipient: string }): Promise<void> {
    await manager.insert(OutboxMessage, { kind: 'confirmation', requestId: currentRequestId() ?? null, ...message });
  }

  /** Call after the transaction commits, to hand new outbox records to the queue without waiting for the poll. */
  dispatchPending(): void {
    this.relay.kick();
  }
}
