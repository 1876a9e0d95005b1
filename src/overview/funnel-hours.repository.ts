import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import type { FunnelHour } from './funnel.js';

const RANGE = statement(
  'overview.funnel-hours.range',
  `SELECT hour, registered, sent, confirmed, bounced, complained, confirm_seconds AS "confirmSeconds"
     FROM funnel_hours WHERE hour >= $1 AND hour < $2`,
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

  range(from: Date, to: Date): Promise<FunnelHour[]> {
    return this.db.query<FunnelHour>(RANGE, [from, to]);
  }

  async span(): Promise<{ since: Date; until: Date } | null> {
    const [row] = await this.db.query<{ since: Date | null; until: Date | null }>(SPAN, []);
    return row?.since && row.until ? { since: row.since, until: row.until } : null;
  }

  async save(hours: FunnelHour[]): Promise<void> {
    if (hours.length > 0) await this.db.query(SAVE, [JSON.stringify(hours)]);
  }
}
