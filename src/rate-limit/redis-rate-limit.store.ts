import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { once } from 'node:events';
import { withTimeout } from '../common/with-timeout.js';
import { Cluster, Redis } from 'ioredis';
import { redisCluster } from '../queue/redis-options.js';
import { RateLimitStore } from './rate-limit.store.js';

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

// The sign-in throttle's attempt, taken before it is judged (see RateLimitStore.reserve): refused
// while blocked or out of attempts, with the ms to wait; else counted, and the last attempt of the
// window blocks the key for the window's length. Returns 0 when granted.
const RESERVE_SCRIPT = `
local blockMs = redis.call('PTTL', KEYS[2])
if blockMs > 0 then return blockMs end
local limit = tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') >= limit then return math.max(redis.call('PTTL', KEYS[1]), 1) end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if hits >= limit then redis.call('SET', KEYS[2], '1', 'PX', ARGV[2]) end
return 0`;

// Gives an attempt back; under the limit again, the key is no longer blocked.
const RELEASE_SCRIPT = `
if tonumber(redis.call('GET', KEYS[1]) or '0') <= 0 then return 0 end
if redis.call('DECR', KEYS[1]) < tonumber(ARGV[1]) then redis.call('DEL', KEYS[2]) end
return 1`;

/** Every key of the counters and blocks starts with it. */
export const RATE_LIMIT_KEY_PREFIX = 'rl:';

/** The counters in Redis (QUEUE_BACKEND=redis), under `rl:`. */
@Injectable()
export class RedisRateLimitStore extends RateLimitStore implements OnModuleInit, OnModuleDestroy {
  protected readonly where = 'Redis';

  private constructor(
    keySecret: string,
    private readonly redis: Redis | Cluster,
    /** On Redis Cluster a key and its block must share a slot: `rl:{key}` and `rl:{key}:blocked`. */
    private readonly hashTag = false,
  ) {
    super(keySecret);
    this.redis.on('error', () => undefined); // reported through failed commands
  }

  static connect(keySecret: string, url: string, clusterNodes?: string): RedisRateLimitStore {
    if (clusterNodes) return new RedisRateLimitStore(keySecret, redisCluster(clusterNodes, url, { forBullMq: false }), true);
    return new RedisRateLimitStore(keySecret, new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false }));
  }

  private key(key: string): string {
    return this.hashTag ? `${RATE_LIMIT_KEY_PREFIX}{${key}}` : `${RATE_LIMIT_KEY_PREFIX}${key}`;
  }

  /** Commands fail at once while not connected (the limits fail open): give the connection a moment before the first request. */
  async onModuleInit(): Promise<void> {
    if (this.redis.status === 'ready') return;
    await withTimeout(once(this.redis, 'ready'), 2000, 'Redis not ready').catch(() => undefined);
  }

  protected async count(key: string, windowMs: number, limit: number, blockMs: number): Promise<[number, number, boolean, number]> {
    const counter = this.key(key);
    const [hits, window, blocked, block] = (await this.redis.eval(
      HIT_SCRIPT,
      2,
      counter,
      `${counter}:blocked`,
      windowMs,
      limit,
      blockMs,
    )) as number[];
    return [hits, window, blocked === 1, block];
  }

  protected blockMs(key: string): Promise<number> {
    return this.redis.pttl(`${this.key(key)}:blocked`);
  }

  protected async reserveAttempt(key: string, limit: number, windowMs: number): Promise<number> {
    const counter = this.key(key);
    return (await this.redis.eval(RESERVE_SCRIPT, 2, counter, `${counter}:blocked`, limit, windowMs)) as number;
  }

  protected async releaseAttempt(key: string, limit: number): Promise<void> {
    const counter = this.key(key);
    await this.redis.eval(RELEASE_SCRIPT, 2, counter, `${counter}:blocked`, limit);
  }

  protected async markOnce(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`${this.key(key)}:once`, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Deletes this store's keys only (SCAN on its prefix), on every master of a cluster. */
  async clear(): Promise<void> {
    const nodes = this.redis instanceof Cluster ? this.redis.nodes('master') : [this.redis];
    for (const node of nodes) {
      for await (const keys of node.scanStream({ match: `${RATE_LIMIT_KEY_PREFIX}*`, count: 500 }) as AsyncIterable<string[]>) {
        // One key a command: on a cluster, keys of several slots cannot go in one DEL.
        const batch = node.pipeline();
        for (const key of keys) batch.del(key);
        await batch.exec();
      }
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
