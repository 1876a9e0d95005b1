import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Redis } from 'ioredis';
import { Environment } from '../config/environment.js';

// Fixed window with a block once the limit is passed, in one atomic step so that every
// instance sharing Redis counts the same hits. Returns {hits, windowMs, blocked, blockMs}.
const HIT_SCRIPT = `
local blockMs = redis.call('PTTL', KEYS[2])
if blockMs > 0 then
  return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1]), 1, blockMs}
end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local windowMs = redis.call('PTTL', KEYS[1])
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, windowMs, 1, tonumber(ARGV[3])}
end
return {hits, windowMs, 0, 0}`;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * Rate-limit counters in Redis, shared by all web instances; the storage behind @nestjs/throttler.
 * (@nest-lab/throttler-storage-redis does this too but does not install next to NestJS 12.)
 * When Redis is away the limits fail open: sign-ups must keep working through a Redis outage.
 */
@Injectable()
export class RateLimitStore implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger(RateLimitStore.name);
  private readonly redis: Redis;
  private failing = false;

  constructor(env: Environment) {
    this.redis = new Redis(env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    this.redis.on('error', () => undefined); // reported through failed commands below
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const [hits, windowMs, blocked, blockMs] = await this.hit(key, ttl, limit, blockDuration > 0 ? blockDuration : ttl);
    return { totalHits: hits, timeToExpire: seconds(windowMs), isBlocked: blocked, timeToBlockExpire: seconds(blockMs) };
  }

  /** Counts one hit against `key`; over `limit` within `windowMs`, the key is blocked for `blockMs`. */
  async hit(key: string, windowMs: number, limit: number, blockMs: number): Promise<[number, number, boolean, number]> {
    try {
      const [hits, window, blocked, block] = (await this.redis.eval(
        HIT_SCRIPT,
        2,
        `rl:${key}`,
        `rl:${key}:blocked`,
        windowMs,
        limit,
        blockMs,
      )) as number[];
      this.recovered();
      return [hits, window, blocked === 1, block];
    } catch (error) {
      this.failed(error as Error);
      return [0, windowMs, false, 0];
    }
  }

  /** Seconds until `key` is unblocked; 0 when it is not blocked. */
  async blockedFor(key: string): Promise<number> {
    try {
      const ms = await this.redis.pttl(`rl:${key}:blocked`);
      this.recovered();
      return seconds(ms);
    } catch (error) {
      this.failed(error as Error);
      return 0;
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  private failed(error: Error): void {
    if (!this.failing) this.logger.warn(`Rate limits off while Redis is unreachable: ${error.message}`);
    this.failing = true;
  }

  private recovered(): void {
    if (this.failing) this.logger.log('Rate limits back on');
    this.failing = false;
  }
}
