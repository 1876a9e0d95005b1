import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task.js';
import { FunnelHoursRepository } from './funnel-hours.repository.js';
import { FunnelStatsService } from './funnel-stats.service.js';
import { floorTo, HOUR_MS } from './funnel.js';

const EVERY_MS = 60_000;
// An hour is rolled up once it ended this long ago: a transaction that began in it has committed by then.
const SETTLE_MS = 5 * 60_000;
// With nothing rolled up yet, the rollup starts this far back (the longest range the page offers, and then some).
const FIRST_DAYS = 35;
// At most this much per run, so one run stays short even on a large first rollup.
const MAX_HOURS_PER_RUN = 7 * 24;

/**
 * Worker only: every minute, counts the hours that ended since the last run (FunnelStatsService.count)
 * and stores them in `funnel_hours`, so the stats read hundreds of rows, not millions. Counts are
 * by when things happened (signed up, sent, confirmed, reported by SES), so a closed hour does not
 * change afterwards: deleting users later does not take them out of the funnel. Several workers
 * may run it at once: each writes the same figures.
 */
@Injectable()
export class FunnelRollup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task = new PeriodicTask(FunnelRollup.name, () => this.rollUp(), EVERY_MS);

  constructor(
    private readonly rolled: FunnelHoursRepository,
    private readonly funnel: FunnelStatsService,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Rolls up the closed hours not rolled up yet (up to a week of them); returns how many. */
  async rollUp(now = new Date()): Promise<number> {
    const closedUntil = floorTo(new Date(now.getTime() - SETTLE_MS), 'hour');
    const from = (await this.rolled.span())?.until ?? floorTo(new Date(now.getTime() - FIRST_DAYS * 24 * HOUR_MS), 'hour');
    const to = new Date(Math.min(closedUntil.getTime(), from.getTime() + MAX_HOURS_PER_RUN * HOUR_MS));
    if (from >= to) return 0;
    const hours = await this.funnel.count(from, to);
    await this.rolled.save(hours);
    return hours.length;
  }
}
