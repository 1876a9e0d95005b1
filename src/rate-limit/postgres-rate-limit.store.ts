import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { DatabaseService } from '../database/database.service.js';
import { statement, type Statement } from '../database/statement.js';
import { withTimeout } from '../common/with-timeout.js';
import { RateLimitStore } from './rate-limit.store.js';

const TIMEOUT_MS = 1000;
const SWEEP_MS = 60_000;

// The Redis script's logic in one statement: the row lock of the upsert makes it atomic across
// instances. While blocked nothing changes; a finished window starts again at 1; passing the limit
// sets the block. Every CASE reads the row as it was before this hit.
const HIT = statement(
  'rate-limits.hit',
  `
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
  greatest(0, ceil(extract(epoch FROM coalesce(blocked_until, now()) - now()) * 1000))::int AS block_ms`,
);

// The sign-in throttle's attempt, taken before it is judged (see RateLimitStore.reserve), in one
// upsert: a new window, or one neither blocked nor out of attempts, counts it (the last attempt
// blocks the key for the window's length) and returns a row; otherwise the WHERE leaves the row
// as it was and nothing is returned.
const RESERVE = statement(
  'rate-limits.reserve',
  `
INSERT INTO rate_limits AS r (key, hits, window_ends_at, blocked_until)
VALUES ($1, 1, now() + $3 * interval '1 millisecond', CASE WHEN 1 >= $2 THEN now() + $3 * interval '1 millisecond' END)
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN r.window_ends_at <= now() THEN 1 ELSE r.hits + 1 END,
  window_ends_at = CASE WHEN r.window_ends_at <= now() THEN EXCLUDED.window_ends_at ELSE r.window_ends_at END,
  blocked_until = CASE
    WHEN (CASE WHEN r.window_ends_at <= now() THEN 1 ELSE r.hits + 1 END) >= $2 THEN now() + $3 * interval '1 millisecond'
  END
WHERE (r.blocked_until IS NULL OR r.blocked_until <= now()) AND (r.window_ends_at <= now() OR r.hits < $2)
RETURNING 1 AS granted`,
);

// After a refused reservation, read afresh: the block may have been set since the upsert's snapshot.
const WAIT = statement(
  'rate-limits.wait',
  `
SELECT greatest(0, ceil(extract(epoch FROM greatest(blocked_until, window_ends_at) - now()) * 1000))::int AS wait_ms
  FROM rate_limits WHERE key = $1`,
);

// Gives an attempt back; under the limit again, the key is no longer blocked.
const RELEASE = statement(
  'rate-limits.release',
  `
UPDATE rate_limits SET hits = hits - 1, blocked_until = CASE WHEN hits - 1 < $2 THEN NULL ELSE blocked_until END
 WHERE key = $1 AND hits > 0`,
);

// A mark that lasts until window_ends_at (the sweep forgets it after): a row whose window is over
// is taken again; one still running is left alone and nothing is returned.
const MARK_ONCE = statement(
  'rate-limits.mark-once',
  `
INSERT INTO rate_limits AS r (key, hits, window_ends_at) VALUES ($1, 1, now() + $2 * interval '1 millisecond')
ON CONFLICT (key) DO UPDATE SET hits = 1, window_ends_at = EXCLUDED.window_ends_at, blocked_until = NULL
WHERE r.window_ends_at <= now()
RETURNING 1 AS marked`,
);

const BLOCKED = statement(
  'rate-limits.blocked',
  `
SELECT greatest(0, ceil(extract(epoch FROM blocked_until - now()) * 1000))::int AS block_ms
  FROM rate_limits WHERE key = $1 AND blocked_until > now()`,
);

const SWEEP = statement(
  'rate-limits.sweep',
  `DELETE FROM rate_limits WHERE window_ends_at < now() AND (blocked_until IS NULL OR blocked_until < now())`,
);

const CLEAR = statement('rate-limits.clear', `DELETE FROM rate_limits`);

/** The counters in PostgreSQL (QUEUE_BACKEND=postgres): the UNLOGGED table rate_limits, swept once a minute. */
@Injectable()
export class PostgresRateLimitStore extends RateLimitStore implements OnModuleDestroy {
  protected readonly where = 'PostgreSQL';
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    keySecret: string,
    private readonly db: DatabaseService,
  ) {
    super(keySecret);
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS).unref();
  }

  protected async count(key: string, windowMs: number, limit: number, blockMs: number): Promise<[number, number, boolean, number]> {
    const [row] = await this.query<Array<{ hits: number; window_ms: number; blocked: boolean; block_ms: number }>>(HIT, [
      key,
      windowMs,
      limit,
      blockMs,
    ]);
    return [row.hits, row.window_ms, row.blocked, row.block_ms];
  }

  protected async blockMs(key: string): Promise<number> {
    const rows = await this.query<Array<{ block_ms: number }>>(BLOCKED, [key]);
    return rows[0]?.block_ms ?? 0;
  }

  protected async reserveAttempt(key: string, limit: number, windowMs: number): Promise<number> {
    const granted = await this.query<Array<{ granted: number }>>(RESERVE, [key, limit, windowMs]);
    if (granted.length > 0) return 0;
    const [row] = await this.query<Array<{ wait_ms: number }>>(WAIT, [key]);
    return Math.max(1, row?.wait_ms ?? 0);
  }

  protected async releaseAttempt(key: string, limit: number): Promise<void> {
    await this.query(RELEASE, [key, limit]);
  }

  protected async markOnce(key: string, ttlMs: number): Promise<boolean> {
    const marked = await this.query<Array<{ marked: number }>>(MARK_ONCE, [key, ttlMs]);
    return marked.length > 0;
  }

  private query<T>(sql: Statement, parameters: unknown[]): Promise<T> {
    return withTimeout(this.db.query(sql, parameters) as Promise<T>, TIMEOUT_MS, 'PostgreSQL did not answer in time');
  }

  /** Forgets finished windows and blocks (what Redis's expiry does by itself). */
  async sweep(): Promise<void> {
    await this.db.query(SWEEP, []).catch(() => undefined);
  }

  async clear(): Promise<void> {
    await this.db.query(CLEAR, []);
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}
