import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { createHmac } from 'node:crypto';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

export const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * Fixed-window counters with a block once the limit is passed, shared by every web instance: the
 * storage behind @nestjs/throttler and the admin lockout (`hit`), and the sign-in throttle's
 * attempts, reserved before a password or code is checked (`reserve`, `release`). Kept where
 * QUEUE_BACKEND says (Redis, or an UNLOGGED PostgreSQL table). When the store is away the limits
 * fail open: sign-ups must keep working through an outage. Keys are stored as an HMAC under
 * APP_SECRET, so the counters hold no IP address or email address, and hashing all 2^32 IPv4
 * addresses does not reverse them.
 * (@nest-lab/throttler-storage-redis does this too but does not install next to NestJS 12.)
 */
export abstract class RateLimitStore implements ThrottlerStorage {
  protected readonly logger = new Logger(RateLimitStore.name);
  private failing = false;

  private readonly keySecret: Buffer;

  /** `appSecret`: APP_SECRET, from which a key of the limits' own is derived. */
  protected constructor(appSecret: string) {
    this.keySecret = createHmac('sha256', appSecret).update('rate-limit-keys').digest();
  }

  /** Where the counters live, for the log line when they are unreachable. */
  protected abstract readonly where: string;

  /** One atomic hit: [hits in the window, ms left in the window, blocked, ms left of the block]. */
  protected abstract count(key: string, windowMs: number, limit: number, blockMs: number): Promise<[number, number, boolean, number]>;

  /** Ms left of `key`'s block; 0 when it is not blocked. */
  protected abstract blockMs(key: string): Promise<number>;

  /** One atomic reservation (see `reserve`): 0 when granted, else the ms to wait (at least 1). */
  protected abstract reserveAttempt(key: string, limit: number, windowMs: number): Promise<number>;

  /** Gives back one reserved attempt; below `limit` again, the key is no longer blocked. */
  protected abstract releaseAttempt(key: string, limit: number): Promise<void>;

  /** Atomically marks `key` for `ttlMs`: true when it was not marked already. */
  protected abstract markOnce(key: string, ttlMs: number): Promise<boolean>;

  /** Forgets every counter and block of this store (for tests: one test's lockout must not reach the next). */
  abstract clear(): Promise<void>;

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const [hits, windowMs, blocked, blockMs] = await this.hit(key, ttl, limit, blockDuration > 0 ? blockDuration : ttl);
    return { totalHits: hits, timeToExpire: seconds(windowMs), isBlocked: blocked, timeToBlockExpire: seconds(blockMs) };
  }

  /** Counts one hit against `key`; over `limit` within `windowMs`, the key is blocked for `blockMs`. */
  hit(key: string, windowMs: number, limit: number, blockMs: number): Promise<[number, number, boolean, number]> {
    return this.failingOpen(() => this.count(this.opaque(key), windowMs, limit, blockMs), [0, windowMs, false, 0]);
  }

  /** Seconds until `key` is unblocked; 0 when it is not blocked. */
  async blockedFor(key: string): Promise<number> {
    return seconds(await this.failingOpen(() => this.blockMs(this.opaque(key)), 0));
  }

  /**
   * Takes one of `limit` attempts at `key` per `windowMs` (counted from the first) before the
   * attempt is judged, so that concurrent attempts cannot outrun the count: 0 when it is granted,
   * else the seconds to wait. Taking the last one blocks the key for `windowMs`, from then;
   * `release` gives a granted attempt back (one that succeeded), which lifts that block.
   */
  async reserve(key: string, limit: number, windowMs: number): Promise<number> {
    const waitMs = await this.failingOpen(() => this.reserveAttempt(this.opaque(key), limit, windowMs), 0);
    return waitMs > 0 ? Math.max(1, seconds(waitMs)) : 0;
  }

  /**
   * A release that lands in a newer window (a check that straddled the end of one) gives back one
   * of that window's attempts instead: only a check that succeeded, so only someone who had the
   * password or code, can cause it.
   */
  release(key: string, limit: number): Promise<void> {
    return this.failingOpen(() => this.releaseAttempt(this.opaque(key), limit), undefined);
  }

  /**
   * Marks `key` as used for `ttlMs`, on every instance at once: true the first time, false while
   * the mark lasts (a proof-of-work solution submitted again). `undefined` while the store is
   * unreachable: the caller decides whether to fail open.
   */
  async claimOnce(key: string, ttlMs: number): Promise<boolean | undefined> {
    return this.failingOpen(() => this.markOnce(this.opaque(`once:${key}`), Math.max(1, Math.ceil(ttlMs))), undefined);
  }

  /** A store call, or `openAnswer` (no limit) while the store is unreachable. */
  private async failingOpen<T>(call: () => Promise<T>, openAnswer: T): Promise<T> {
    try {
      const result = await call();
      this.recovered();
      return result;
    } catch (error) {
      this.failed(error as Error);
      return openAnswer;
    }
  }

  private opaque(key: string): string {
    return createHmac('sha256', this.keySecret).update(key).digest('base64url').slice(0, 22);
  }

  private failed(error: Error): void {
    if (!this.failing) this.logger.warn(`Rate limits off while ${this.where} is unreachable: ${error.message}`);
    this.failing = true;
  }

  private recovered(): void {
    if (this.failing) this.logger.log('Rate limits back on');
    this.failing = false;
  }
}
