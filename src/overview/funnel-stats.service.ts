import { Injectable } from '@nestjs/common';
import { MailService } from '../mail/mail.service.js';
import { SesFeedbackService } from '../ses-feedback/ses-feedback.service.js';
import { UsersService } from '../users/users.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { FunnelHoursRepository } from './funnel-hours.repository.js';
import {
  type Bucket,
  emptyHour,
  type FunnelBucket,
  type FunnelHour,
  HOUR_MS,
  mergeHistograms,
  quantileSeconds,
  toBuckets,
} from './funnel.js';

export interface FunnelStats {
  buckets: FunnelBucket[];
  timeToConfirm: { p50Seconds: number | null; p90Seconds: number | null };
  waiting: { emails: number; webhooks: number };
  failed: { emails: number; webhooks: number };
}

/**
 * The sign-up funnel by hour or day. Closed hours come from `funnel_hours` (rolled up by the
 * worker, FunnelRollup); hours not rolled up yet (the last one or two, or all of them while no
 * worker runs) are counted from the owning modules' tables, so the figures never wait for the rollup.
 */
@Injectable()
export class FunnelStatsService {
  constructor(
    private readonly rolled: FunnelHoursRepository,
    private readonly users: UsersService,
    private readonly mail: MailService,
    private readonly webhooks: WebhooksService,
    private readonly feedback: SesFeedbackService,
  ) {}

  /** `start` and `end` on bucket boundaries (UTC). */
  async stats(start: Date, end: Date, bucket: Bucket): Promise<FunnelStats> {
    const [hours, mail, webhooks] = await Promise.all([
      this.hours(start, end),
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

  /** Every hour of [start, end) with figures: rolled-up ones from their table, the others counted now. */
  private async hours(start: Date, end: Date): Promise<FunnelHour[]> {
    const span = await this.rolled.span();
    if (!span) return this.count(start, end);
    const rolledFrom = new Date(Math.max(start.getTime(), span.since.getTime()));
    const rolledTo = new Date(Math.min(end.getTime(), span.until.getTime()));
    const parts = await Promise.all([
      rolledFrom < rolledTo ? this.rolled.range(rolledFrom, rolledTo) : [],
      start < span.since ? this.count(start, new Date(Math.min(end.getTime(), span.since.getTime()))) : [],
      end > span.until ? this.count(new Date(Math.max(start.getTime(), span.until.getTime())), end) : [],
    ]);
    return parts.flat();
  }

  /** Counts [start, end) (whole hours) from the owning modules' tables, one query each. */
  async count(start: Date, end: Date): Promise<FunnelHour[]> {
    const [registered, confirmed, sent, feedback] = await Promise.all([
      this.users.registeredByHour(start, end),
      this.users.confirmedByHour(start, end),
      this.mail.sentByHour(start, end),
      this.feedback.feedbackByHour(start, end),
    ]);
    const byHour = new Map<number, FunnelHour>();
    const at = (hour: Date) => {
      let row = byHour.get(hour.getTime());
      if (!row) byHour.set(hour.getTime(), (row = emptyHour(hour)));
      return row;
    };
    for (let h = start.getTime(); h < end.getTime(); h += HOUR_MS) at(new Date(h));
    for (const r of registered) at(r.hour).registered += r.count;
    for (const r of sent) at(r.hour).sent += r.count;
    for (const r of feedback) {
      at(r.hour).bounced += r.bounced;
      at(r.hour).complained += r.complained;
    }
    for (const r of confirmed) {
      const row = at(r.hour);
      row.confirmed += r.count;
      row.confirmSeconds[r.slot] = (row.confirmSeconds[r.slot] ?? 0) + r.count;
    }
    return [...byHour.values()];
  }
}
