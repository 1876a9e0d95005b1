import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import type { ColumnOf, Relation, StatementPart } from '../database/composed-statement.js';
import type { Tx } from '../database/tx.js';
import type { PayloadOf } from './email-kind.js';
import type { RegisteredEmailKind } from './email-kinds.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { OutboxRelay } from './outbox-relay.service.js';
import { OutboxRepository, RECORDED, recordEmailsFromCtes, type CooldownClaim } from './outbox.repository.js';
import { v7 as uuidv7 } from 'uuid';

/**
 * One email of kind K: to whom, for which user, and the kind's payload (required when the kind has
 * one). `firstContact`: the address was never seen before (a new sign-up), so the email counts
 * against NEW_ADDRESS_EMAILS_PER_MINUTE. `requestId`: the HTTP request that caused it (null for the
 * worker's own work), named in the worker's log lines of its send.
 */
export type EmailOf<K extends RegisteredEmailKind> = {
  userId: string;
  to: string;
  firstContact?: boolean;
  requestId: string | null;
} & (Record<never, never> extends PayloadOf<K> ? { payload?: PayloadOf<K> } : { payload: PayloadOf<K> });

/** A registered kind whose emails carry no payload. */
export type KindWithoutPayload = RegisteredEmailKind extends infer K
  ? K extends RegisteredEmailKind
    ? Record<never, never> extends PayloadOf<K>
      ? K
      : never
    : never
  : never;

/**
 * The email each row of a relation gets, by column: to whom, for which user, whether the address is
 * new, and its kind (one, or one of two by a boolean column).
 */
export interface EmailsFrom<Row extends object> {
  userId: ColumnOf<Row, string>;
  to: ColumnOf<Row, string>;
  firstContact: ColumnOf<Row, boolean>;
  kind: KindWithoutPayload | { when: ColumnOf<Row, boolean>; then: KindWithoutPayload; else: KindWithoutPayload };
}

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
    const id = await this.outbox.insert(
      tx,
      {
        kind: kind.name,
        userId: email.userId,
        recipient: email.to,
        payload: email.payload ?? {},
        firstContact: email.firstContact ?? false,
        requestId: email.requestId,
      },
      this.cooldownOf(kind),
    );
    if (id !== null) tx.afterCommit(() => this.relay.kick());
    return id !== null;
  }

  /**
   * The same, as a part of the caller's composed statement (one round trip): the email of each row
   * of `source` (at most one row), recorded if and only if that statement commits, within the
   * kind's cooldown. Its input at each run: the HTTP request that caused it.
   */
  emailsFrom<Row extends object>(source: Relation<Row>, email: EmailsFrom<Row>): StatementPart<{ requestId: string | null }> {
    const kinds = 'when' in email.kind ? [email.kind.then, email.kind.else] : [email.kind];
    if (kinds[0] === kinds[1]) throw new Error(`emailsFrom(${source.name}): the same kind either way; give it once`);
    const columns = { userId: email.userId, to: email.to, firstContact: email.firstContact };
    const chooseBy = 'when' in email.kind ? email.kind.when : undefined;
    const perKind = kinds.flatMap((kind) => {
      const cooldown = this.cooldownOf(kind);
      return [kind.name, cooldown?.bucket ?? null, cooldown?.seconds ?? null, cooldown?.perDay ?? null];
    });
    return {
      ctes: recordEmailsFromCtes(source.name, columns, kinds.length, chooseBy),
      bind: ({ requestId }) => [uuidv7(), requestId, ...perKind],
      afterRun: () => this.relay.kick(),
      wrote: `EXISTS (SELECT 1 FROM ${RECORDED})`,
    };
  }

  private cooldownOf(kind: RegisteredEmailKind): CooldownClaim | undefined {
    const cooldown = 'cooldown' in kind ? kind.cooldown : undefined;
    return cooldown && { bucket: cooldown.bucket, seconds: cooldown.seconds(this.env), perDay: cooldown.perDay(this.env) };
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
