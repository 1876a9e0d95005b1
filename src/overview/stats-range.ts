import { BUCKET_MS, type Bucket, ceilTo, floorTo, HOUR_MS, MAX_BUCKETS } from './funnel.js';
import { OverviewError } from './overview.errors.js';

export interface StatsRange {
  start: Date;
  end: Date;
  bucket: Bucket;
}

const DEFAULT_SPAN_MS: Record<Bucket, number> = { hour: 24 * HOUR_MS, day: 30 * 24 * HOUR_MS };

/**
 * The buckets a request asks for: whole UTC hours or days, from the one holding `from` to the one
 * holding the instant before `to`. Defaults: `to` now, `from` 24 hours (by hour) or 30 days (by
 * day) before. `from` not before `to`, or more than MAX_BUCKETS buckets, is an invalid_range.
 */
export function statsRange(query: { from?: string; to?: string; bucket?: Bucket }, now = new Date()): StatsRange {
  const bucket = query.bucket ?? 'hour';
  const to = query.to === undefined ? now : new Date(query.to);
  const from = query.from === undefined ? new Date(to.getTime() - DEFAULT_SPAN_MS[bucket]) : new Date(query.from);
  if (from >= to) throw new OverviewError('invalid_range', 'from must be before to');
  const start = floorTo(from, bucket);
  const end = ceilTo(to, bucket);
  const count = (end.getTime() - start.getTime()) / BUCKET_MS[bucket];
  if (count > MAX_BUCKETS)
    throw new OverviewError(
      'invalid_range',
      `The range has ${count} buckets of a ${bucket}; at most ${MAX_BUCKETS} are allowed (use bucket=day for long ranges)`,
    );
  return { start, end, bucket };
}
