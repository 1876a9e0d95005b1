import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MailKind } from '../queue/jobs.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { OutboxRelay } from './outbox-relay.service.js';

/** What other modules call to have email sent. Only Mail knows there is an outbox and a queue. */
@Injectable()
export class MailService {
  constructor(private readonly relay: OutboxRelay) {}

  /** Records an email inside the caller's transaction; nothing leaves until it commits. */
  async queue(manager: EntityManager, message: { kind: MailKind; userId: string; recipient: string }): Promise<void> {
    await manager.insert(OutboxMessage, message);
  }

  /** Call after the transaction commits, to hand new outbox records to the queue without waiting for the poll. */
  dispatchPending(): void {
    this.relay.kick();
  }
}
