import { Injectable } from '@nestjs/common';
import { PreparedSql } from '../database/prepared-sql.service.js';
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
    private readonly sql: PreparedSql,
  ) {}

  /**
   * Runs the caller's own write and records an email to `recipient` for every row it returns, in
   * one statement: atomic without a transaction, and one round trip on the busiest path. The
   * caller's part is `ctes` (data-modifying CTEs using $1…$n for `params`) and `select` (a query
   * over them returning `id`, the user, and `kind`, the email). Returns the selected rows; their
   * emails are on their way to the queue.
   */
  async queueWith<Row extends { id: string; kind: MailKind }>(
    statement: { name: string; ctes: string; select: string; params: unknown[] },
    recipient: string,
  ): Promise<Row[]> {
    const n = statement.params.length;
    const rows = await this.sql.query<Row>(
      `mail.queue-with.${statement.name}`,
      `WITH ${statement.ctes},
       subject AS (${statement.select}),
       queued AS (
         INSERT INTO mail_outbox (kind, user_id, recipient, request_id)
         SELECT kind, id, $${n + 1}, $${n + 2} FROM subject
       )
       SELECT * FROM subject`,
      [...statement.params, recipient, currentRequestId() ?? null],
    );
    if (rows.length > 0) this.relay.kick();
    return rows;
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
