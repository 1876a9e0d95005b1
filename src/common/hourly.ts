/** A count in one hour (UTC, `hour` its start): what the funnel figures are made of. */
export interface HourlyCount {
  hour: Date;
  count: number;
}

/**
 * Durations in seconds as a histogram: slot n counts the durations in [1.05^n, 1.05^(n+1)) (a
 * second or less is slot 0), so a percentile read from it is within 2.5 % of the exact one.
 */
export const DURATION_SLOT_BASE = 1.05;

/** The same SQL expression for every query that fills a histogram slot from an interval. */
export const durationSlotSql = (interval: string) =>
  `floor(ln(greatest(extract(epoch FROM ${interval}), 1)) / ln(${DURATION_SLOT_BASE}))::int`;

/** A duration histogram's counts by hour: `slot` as above. */
export interface HourlySlotCount extends HourlyCount {
  slot: number;
}

/** Hours as PostgreSQL bins them here: from this origin in UTC. */
export const hourBinSql = (column: string) => `date_bin('1 hour', ${column}, '2000-01-01T00:00:00Z')`;
