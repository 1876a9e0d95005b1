import { Injectable } from '@nestjs/common';
import { MailService } from '../mail/mail.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { FunnelCounter } from './funnel-counter.service.js';
import { FunnelHoursRepository } from './funnel-hours.repository.js';
import { FunnelRollup } from './funnel-rollup.service.js';
import { type Bucket, type FunnelBucket, type FunnelHour, mergeHistograms, quantileSeconds, toBuckets } from './funnel.js';

export interface FunnelStats {
  buckets: FunnelBucket[];
  timeToConfirm: { p50Seconds: number | null; p90Seconds: number | null };
  waiting: { emails: number; webhooks: number };
  failed: { emails: number; webhooks: number };
}

/**
 * The sign-up funnel by hour or day. Closed hours come from `funnel_hours` (FunnelRollup: the
 * worker every minute, or the first request that finds it behind); the hours not closed yet (the
 * current one, the one before for its first 5 minutes) and any before the rollup's first hour are
 * counted from the owning modules' tables.
 */
@Injectable()
export class FunnelStatsService {
  constructor(
    private readonly rolled: FunnelHoursRepository,
    private readonly rollup: FunnelRollup,
    private readonly counter: FunnelCounter,
    private readonly mail: MailService,
    private readonly webhooks: WebhooksService,
  ) {}

  /** `start` and `end` on bucket boundaries (UTC). */
  async stats(start: Date, end: Date, bucket: Bucket): Promise<FunnelStats> {
    // Normally the worker has done it: then this is one look at the table's last hour.
    await this.rollup.rollUp();
    const [hours, mail, webhooks] = await Promise.all([
      this.hours(start, end, bucket),
      this.mail.waitingAndFailed(),
      this.webhooks.waitingAndFailed(),
    ]);
    const histogram = mergeHistograms(hours);
    return {
      buckets: toBuckets(hours, start, end, bucket),
      timeToConfirm: { p50Seconds: quantileSeconds(histogram, 0.5), p90Seconds: quantileSeconds(histogram, 0.9) },
      waiting: { emails: mail.waiting, webhooks: webhooks.waiting },
      failed: { emails: mail.failed, webhooks: webhooks.failed },
    };
  }

  /** The figures of [start, end): rolled-up hours summed by bucket from their table, the others counted now by hour. */
  private async hours(start: Date, end: Date, bucket: Bucket): Promise<FunnelHour[]> {
    const span = await this.rolled.span();
    if (!span) return this.counter.count(start, end);
    const rolledFrom = new Date(Math.max(start.getTime(), span.since.getTime()));
    const rolledTo = new Date(Math.min(end.getTime(), span.until.getTime()));
    const parts = await Promise.all([
      rolledFrom < rolledTo ? this.rolled.range(rolledFrom, rolledTo, bucket) : [],
      start < span.since ? this.counter.count(start, new Date(Math.min(end.getTime(), span.since.getTime()))) : [],
      end > span.until ? this.counter.count(new Date(Math.max(start.getTime(), span.until.getTime())), end) : [],
    ]);
    return parts.flat();
  }
}
