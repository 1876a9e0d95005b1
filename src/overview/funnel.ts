import { DURATION_SLOT_BASE } from '../common/hourly.js';

export const BUCKETS = ['hour', 'day'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The most buckets one range may have: 31 days by hour, about two years by day. */
export const MAX_BUCKETS = 744;

export const HOUR_MS = 3_600_000;
export const BUCKET_MS: Record<Bucket, number> = { hour: HOUR_MS, day: 24 * HOUR_MS };

/** One hour of the funnel: its counts and a histogram of the seconds its confirmations took (slot → count). */
export interface FunnelHour {
  hour: Date;
  registered: number;
  sent: number;
  confirmed: number;
  bounced: number;
  complained: number;
  confirmSeconds: Record<string, number>;
}

export interface FunnelBucket {
  at: Date;
  registered: number;
  sent: number;
  confirmed: number;
  bounced: number;
  complained: number;
}

export const emptyHour = (hour: Date): FunnelHour => ({
  hour,
  registered: 0,
  sent: 0,
  confirmed: 0,
  bounced: 0,
  complained: 0,
  confirmSeconds: {},
});

/** The start of the UTC hour or day `at` falls in. */
export const floorTo = (at: Date, bucket: Bucket): Date => new Date(Math.floor(at.getTime() / BUCKET_MS[bucket]) * BUCKET_MS[bucket]);

/** The start of the UTC hour or day after the one the instant before `at` falls in (the end of the last bucket). */
export const ceilTo = (at: Date, bucket: Bucket): Date => new Date(Math.ceil(at.getTime() / BUCKET_MS[bucket]) * BUCKET_MS[bucket]);

/** Adds every hour's counts into its bucket; every bucket of [start, end) is there, empty ones with zeros. */
export function toBuckets(hours: Iterable<FunnelHour>, start: Date, end: Date, bucket: Bucket): FunnelBucket[] {
  const size = BUCKET_MS[bucket];
  const buckets: FunnelBucket[] = [];
  for (let at = start.getTime(); at < end.getTime(); at += size)
    buckets.push({ at: new Date(at), registered: 0, sent: 0, confirmed: 0, bounced: 0, complained: 0 });
  for (const hour of hours) {
    const b = buckets[Math.floor((hour.hour.getTime() - start.getTime()) / size)];
    if (!b) continue;
    b.registered += hour.registered;
    b.sent += hour.sent;
    b.confirmed += hour.confirmed;
    b.bounced += hour.bounced;
    b.complained += hour.complained;
  }
  return buckets;
}

/** Merges the histograms of several hours. */
export function mergeHistograms(hours: Iterable<FunnelHour>): Map<number, number> {
  const merged = new Map<number, number>();
  for (const hour of hours)
    for (const [slot, count] of Object.entries(hour.confirmSeconds)) merged.set(Number(slot), (merged.get(Number(slot)) ?? 0) + count);
  return merged;
}

/**
 * The q-quantile (0 < q < 1) of the durations in a histogram: the geometric middle of the slot
 * that holds it (within 2.5 % of the exact value; a second or less reads as 1 s); null when empty.
 */
export function quantileSeconds(histogram: Map<number, number>, q: number): number | null {
  const slots = [...histogram.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const total = slots.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [slot, n] of slots) {
    seen += n;
    if (seen >= rank) return slot === 0 ? 1 : Math.round(DURATION_SLOT_BASE ** (slot + 0.5));
  }
  return null;
}
