import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { withTimeout } from '../common/with-timeout.js';
import { RateLimitStore } from './rate-limit.store.js';

const TIMEOUT_MS = 1000;
const SWEEP_MS = 60_000;

// The Redis script's logic in one statement: the row lock of the upsert makes it atomic across
// instances. While blocked nothing changes; a finished window starts again at 1; passing the limit
// sets the block. Every CASE reads the row as it was before this hit.
const HIT = `
INSERT INTO rate_limits AS r (key, hits, window_ends_at, blocked_until)
VALUES ($1, 1, now() + $2 * interval '1 millisecond', CASE WHEN 1 > $3 THEN now() + $4 * interval '1 millisecond' END)
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN r.blocked_until > now() THEN r.hits WHEN r.window_ends_at <= now() THEN 1 ELSE r.hits + 1 END,
  window_ends_at = CASE WHEN r.blocked_until > now() OR r.window_ends_at > now() THEN r.window_ends_at ELSE EXCLUDED.window_ends_at END,
  blocked_until = CASE
    WHEN r.blocked_until > now() THEN r.blocked_until
    WHEN (CASE WHEN r.window_ends_at <= now() THEN 1 ELSE r.hits + 1 END) > $3 THEN now() + $4 * interval '1 millisecond'
  END
RETURNING hits,
  greatest(0, ceil(extract(epoch FROM window_ends_at - now()) * 1000))::int AS window_ms,
  coalesce(blocked_until > now(), false) AS blocked,
  greatest(0, ceil(extract(epoch FROM coalesce(blocked_until, now()) - now()) * 1000))::int AS block_ms`;

const BLOCKED = `
SELECT greatest(0, ceil(extract(epoch FROM blocked_until - now()) * 1000))::int AS block_ms
  FROM rate_limits WHERE key = $1 AND blocked_until > now()`;

/** The counters in PostgreSQL (QUEUE_BACKEND=postgres): the UNLOGGED table rate_limits, swept once a minute. */
@Injectable()
export class PostgresRateLimitStore extends RateLimitStore implements OnModuleDestroy {
  protected readonly where = 'PostgreSQL';
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    keySecret: string,
    private readonly db: DataSource,
  ) {
    super(keySecret);
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS).unref();
  }

  protected async count(key: string, windowMs: number, limit: number, blockMs: number): Promise<[number, number, boolean, number]> {
    const [row] = await withTimeout(
      this.db.query<Array<{ hits: number; window_ms: number; blocked: boolean; block_ms: number }>>(HIT, [key, windowMs, limit, blockMs]),
      TIMEOUT_MS,
      'PostgreSQL did not answer in time',
    );
    return [row.hits, row.window_ms, row.blocked, row.block_ms];
  }

  protected async blockMs(key: string): Promise<number> {
    const rows = await withTimeout(
      this.db.query<Array<{ block_ms: number }>>(BLOCKED, [key]),
      TIMEOUT_MS,
      'PostgreSQL did not answer in time',
    );
    return rows[0]?.block_ms ?? 0;
  }

  /** Forgets finished windows and blocks (what Redis's expiry does by itself). */
  async sweep(): Promise<void> {
    await this.db
      .query(`DELETE FROM rate_limits WHERE window_ends_at < now() AND (blocked_until IS NULL OR blocked_until < now())`)
      .catch(() => undefined);
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}
