import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import type { Tx } from '../database/tx.js';
import { currentRequestId } from '../logging/request-id.js';
import type { PayloadOf } from './email-kind.js';
import type { RegisteredEmailKind } from './email-kinds.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { OutboxRelay } from './outbox-relay.service.js';
import { OutboxRepository } from './outbox.repository.js';

/**
 * One email of kind K: to whom, for which user, and the kind's payload (required when the kind has
 * one). `firstContact`: the address was never seen before (a new sign-up), so the email counts
 * against NEW_ADDRESS_EMAILS_PER_MINUTE.
 */
export type EmailOf<K extends RegisteredEmailKind> = { userId: string; to: string; firstContact?: boolean } & (Record<
  never,
  never
> extends PayloadOf<K>
  ? { payload?: PayloadOf<K> }
  : { payload: PayloadOf<K> });

/** What other modules call to have email sent. Only Mail knows there is an outbox and a queue. */
@Injectable()
export class MailService {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly outbox: OutboxRepository,
    private readonly env: Environment,
  ) {}

  /**
   * Records an email in the caller's transaction: it goes out if and only if that transaction
   * commits. A kind with a cooldown is recorded only when the user's cooldown for it is over;
   * returns whether the email was recorded.
   */
  async enqueue<K extends RegisteredEmailKind>(tx: Tx, kind: K, email: EmailOf<K>): Promise<boolean> {
    const cooldown = 'cooldown' in kind ? kind.cooldown : undefined;
    const id = await this.outbox.insert(
      tx,
      {
        kind: kind.name,
        userId: email.userId,
        recipient: email.to,
        payload: email.payload ?? {},
        firstContact: email.firstContact ?? false,
        requestId: currentRequestId() ?? null,
      },
      cooldown && { bucket: cooldown.bucket, seconds: cooldown.seconds(this.env), perDay: cooldown.perDay(this.env) },
    );
    if (id !== null) tx.afterCommit(() => this.relay.kick());
    return id !== null;
  }

  listFailed(limit = 200): Promise<OutboxMessage[]> {
    return this.outbox.listFailed(limit);
  }

  /** Deletes up to `limit` emails sent or failed before `cutoff`; returns how many. */
  purgeFinished(cutoff: Date, limit: number): Promise<number> {
    return this.outbox.purge(cutoff, limit);
  }

  /** Sends failed emails again (all of them, or the given outbox ids); returns the ids queued. */
  async retryFailed(ids?: string[]): Promise<string[]> {
    const retried = await this.outbox.requeueFailed(ids);
    if (retried.length > 0) this.relay.kick();
    return retried;
  }
}
