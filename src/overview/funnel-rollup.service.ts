import { Injectable } from '@nestjs/common';
import { FunnelCounter } from './funnel-counter.service.js';
import { FunnelHoursRepository } from './funnel-hours.repository.js';
import { floorTo, HOUR_MS } from './funnel.js';

// An hour is rolled up once it ended this long ago: a transaction that began in it has committed by then.
const SETTLE_MS = 5 * 60_000;
// With nothing rolled up yet, the rollup starts this far back (the longest range the page offers, and then some).
const FIRST_DAYS = 35;
// At most this much per query, so no query runs long even on a large first rollup.
const MAX_HOURS_PER_QUERY = 7 * 24;

/**
 * Counts the hours that ended since the last rollup (FunnelCounter) and stores them in
 * `funnel_hours`, so the stats read hundreds of rows, not millions. The worker runs it every minute
 * (FunnelRollupTask), a stats request when it finds it behind. Counts are by when things happened
 * (signed up, sent, confirmed, reported by SES), so a closed hour does not change afterwards:
 * deleting users later does not take them out of the funnel, and rows written with an earlier time
 * into an hour already rolled up (an import) are not counted. Several processes may run it at
 * once: each writes the same figures; within one process, calls share the run under way.
 */
@Injectable()
export class FunnelRollup {
  private running: Promise<number> | null = null;

  constructor(
    private readonly rolled: FunnelHoursRepository,
    private readonly counter: FunnelCounter,
  ) {}

  /** Rolls up the closed hours not rolled up yet, a week per query at most; returns how many. */
  rollUp(now = new Date()): Promise<number> {
    this.running ??= this.catchUp(now).finally(() => (this.running = null));
    return this.running;
  }

  private async catchUp(now: Date): Promise<number> {
    const closedUntil = floorTo(new Date(now.getTime() - SETTLE_MS), 'hour');
    let from = (await this.rolled.span())?.until ?? floorTo(new Date(now.getTime() - FIRST_DAYS * 24 * HOUR_MS), 'hour');
    let rolled = 0;
    while (from < closedUntil) {
      const to = new Date(Math.min(closedUntil.getTime(), from.getTime() + MAX_HOURS_PER_QUERY * HOUR_MS));
      const hours = await this.counter.count(from, to);
      await this.rolled.save(hours);
      rolled += hours.length;
      from = to;
    }
    return rolled;
  }
}
