import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MailKind } from '../queue/jobs.js';
import { currentRequestId } from '../logging/request-id.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { OutboxRelay } from './outbox-relay.service.js';
import { OutboxRepository } from './outbox.repository.js';

/** What other modules call to have email sent. Only Mail knows there is an outbox and a queue. */
@Injectable()
export class MailService {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly outbox: OutboxRepository,
  ) {}

  /** Records an email inside the caller's transaction; nothing leaves until it commits. */
  async queue(manager: EntityManager, message: { kind: MailKind; userId: string; recipient: string }): Promise<void> {
    await manager.query(`INSERT INTO mail_outbox (kind, user_id, recipient, request_id) VALUES ($1, $2, $3, $4)`, [
      message.kind,
      message.userId,
      message.recipient,
      currentRequestId() ?? null,
    ]);
  }

  /** Call after the transaction commits, to hand new outbox records to the queue without waiting for the poll. */
  dispatchPending(): void {
    this.relay.kick();
  }

  listFailed(limit = 200): Promise<OutboxMessage[]> {
    return this.outbox.listFailed(limit);
  }

  /** Sends failed emails again (all of them, or the given outbox ids); returns the ids queued. */
  async retryFailed(ids?: string[]): Promise<string[]> {
    const retried = await this.outbox.requeueFailed(ids);
    if (retried.length > 0) this.relay.kick();
    return retried;
  }
}
