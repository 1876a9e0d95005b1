import { Redis } from 'ioredis';
import type { Environment } from '../../config/environment.js';
import type { DatabaseService } from '../../database/database.service.js';
import { statement } from '../../database/statement.js';
import { RATE_LIMIT_KEY_PREFIX } from '../redis-rate-limit.store.js';

const BLOCK_SUFFIX = ':blocked';
const COUNTERS = statement(
  'rate-limit.test.counters',
  `SELECT key, coalesce(blocked_until > now(), false) AS blocked FROM rate_limits ORDER BY key`,
);
const LET_TIME_PASS = statement(
  'rate-limit.test.let-time-pass',
  `UPDATE rate_limits SET window_ends_at = window_ends_at - $1 * interval '1 millisecond',
                          blocked_until = blocked_until - $1 * interval '1 millisecond'`,
);

/** One counter as the store keeps it: its stored key (an HMAC, never an address or IP) and whether it is blocked. */
export interface StoredCounter {
  key: string;
  blocked: boolean;
}

/**
 * For tests only (never registered in a module): the rate-limit counters where QUEUE_BACKEND keeps
 * them (Redis, or PostgreSQL), read and aged as no API does. Built from the app's Environment and
 * DatabaseService: `new RateLimitTestApi(app.get(Environment), app.get(DatabaseService))`. Redis
 * here is REDIS_URL's server (not a cluster).
 */
export class RateLimitTestApi {
  constructor(
    private readonly env: Environment,
    private readonly db: DatabaseService,
  ) {}

  /** Every counter the store holds now. */
  async counters(): Promise<StoredCounter[]> {
    if (this.env.QUEUE_BACKEND === 'postgres') return this.db.query<StoredCounter>(COUNTERS, []);
    return this.onRedis(async (redis) => {
      const counters = new Map<string, boolean>();
      for (const stored of await this.redisKeys(redis)) {
        const key = stored.slice(RATE_LIMIT_KEY_PREFIX.length);
        if (key.endsWith(BLOCK_SUFFIX)) counters.set(key.slice(0, -BLOCK_SUFFIX.length), true);
        else counters.set(key, counters.get(key) ?? false);
      }
      return [...counters].map(([key, blocked]) => ({ key, blocked })).sort((a, b) => a.key.localeCompare(b.key));
    });
  }

  /** As if `ms` had passed for every counter and block (a sign-in throttle lasts 15 minutes, too long to wait in a test). */
  async letTimePass(ms: number): Promise<void> {
    if (this.env.QUEUE_BACKEND === 'postgres') {
      await this.db.query(LET_TIME_PASS, [ms]);
      return;
    }
    await this.onRedis(async (redis) => {
      for (const key of await this.redisKeys(redis)) {
        const left = await redis.pttl(key);
        if (left > ms) await redis.pexpire(key, left - ms);
        else await redis.del(key);
      }
    });
  }

  private async redisKeys(redis: Redis): Promise<string[]> {
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: `${RATE_LIMIT_KEY_PREFIX}*`, count: 500 }) as AsyncIterable<string[]>)
      keys.push(...batch);
    return keys;
  }

  private async onRedis<T>(use: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = new Redis(this.env.REDIS_URL);
    try {
      return await use(redis);
    } finally {
      redis.disconnect();
    }
  }
}
