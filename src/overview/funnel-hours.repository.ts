import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import type { Bucket, FunnelHour } from './funnel.js';

// Summed in PostgreSQL: a row per bucket ($3: '1 hour' or '1 day', UTC), and one more row holding
// the merged histogram of the whole range (a month of hours is some 80,000 histogram slots).
const RANGE = statement(
  'overview.funnel-hours.range',
  `SELECT date_bin($3::interval, hour, '2000-01-01T00:00:00Z') AS hour, sum(registered)::int AS registered, sum(sent)::int AS sent,
          sum(confirmed)::int AS confirmed, sum(bounced)::int AS bounced, sum(complained)::int AS complained, '{}'::jsonb AS "confirmSeconds"
     FROM funnel_hours WHERE hour >= $1 AND hour < $2 GROUP BY 1
   UNION ALL
   SELECT $1, 0, 0, 0, 0, 0, coalesce(jsonb_object_agg(slot, n), '{}')
     FROM (SELECT key AS slot, sum(value::int) AS n FROM funnel_hours, jsonb_each_text(confirm_seconds)
            WHERE hour >= $1 AND hour < $2 GROUP BY key) AS slots`,
);
// The rolled-up hours are one run without gaps: from the first to the one before `until`.
const SPAN = statement('overview.funnel-hours.span', `SELECT min(hour) AS since, max(hour) + interval '1 hour' AS until FROM funnel_hours`);
const SAVE = statement(
  'overview.funnel-hours.save',
  `INSERT INTO funnel_hours (hour, registered, sent, confirmed, bounced, complained, confirm_seconds)
   SELECT hour, registered, sent, confirmed, bounced, complained, "confirmSeconds"
     FROM jsonb_to_recordset($1::jsonb) AS r(hour timestamptz, registered int, sent int, confirmed int, bounced int, complained int, "confirmSeconds" jsonb)
   ON CONFLICT (hour) DO UPDATE SET registered = excluded.registered, sent = excluded.sent, confirmed = excluded.confirmed,
     bounced = excluded.bounced, complained = excluded.complained, confirm_seconds = excluded.confirm_seconds, rolled_up_at = now()`,
);

/** The overview's own table: the funnel's closed hours, rolled up once (see the 1767000000000 migration). */
@Injectable()
export class FunnelHoursRepository {
  constructor(private readonly db: DatabaseService) {}

  /** The rolled-up hours of [from, to), summed by bucket, with one more row (at `from`, no counts) holding their merged histogram. */
  range(from: Date, to: Date, bucket: Bucket): Promise<FunnelHour[]> {
    return this.db.query<FunnelHour>(RANGE, [from, to, `1 ${bucket}`]);
  }

  async span(): Promise<{ since: Date; until: Date } | null> {
    const [row] = await this.db.query<{ since: Date | null; until: Date | null }>(SPAN, []);
    return row?.since && row.until ? { since: row.since, until: row.until } : null;
  }

  async save(hours: FunnelHour[]): Promise<void> {
    if (hours.length > 0) await this.db.query(SAVE, [JSON.stringify(hours)]);
  }
}
