import { Injectable } from '@nestjs/common';
import type { HourlyCount } from '../common/hourly.js';
import type { OutboxEmail } from './outbox-email.js';
import { OutboxRelay } from './outbox-relay.service.js';
import { OutboxRepository } from './outbox.repository.js';

/**
 * Mail's operations for admins, the reputation guard and the retention sweep. Nothing here sends an email: emails
 * follow from facts (see EmailReactions).
 */
@Injectable()
export class MailService {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly outbox: OutboxRepository,
  ) {}

  /** Of the `window` most recent emails that finished: how many were sent, since when, and how many after `after`. */
  recentSends(window: number, after: Date | null): Promise<{ sends: number; since: Date | null; sendsAfter: number }> {
    return this.outbox.recentSends(window, after);
  }

  /** Emails sent per hour in [from, to) (the funnel). */
  sentByHour(from: Date, to: Date): Promise<HourlyCount[]> {
    return this.outbox.sentByHour(from, to);
  }

  /** Emails not yet sent nor failed, and emails that failed for good (until retention deletes them). */
  waitingAndFailed(): Promise<{ waiting: number; failed: number }> {
    return this.outbox.waitingAndFailed();
  }

  listFailed(limit = 200): Promise<OutboxEmail[]> {
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
