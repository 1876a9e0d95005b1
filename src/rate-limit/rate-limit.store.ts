import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { createHmac } from 'node:crypto';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

export const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * Fixed-window counters with a block once the limit is passed, shared by every web instance: the
 * storage behind @nestjs/throttler, the admin lockout and the sign-in throttle. Kept where
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

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const [hits, windowMs, blocked, blockMs] = await this.hit(key, ttl, limit, blockDuration > 0 ? blockDuration : ttl);
    return { totalHits: hits, timeToExpire: seconds(windowMs), isBlocked: blocked, timeToBlockExpire: seconds(blockMs) };
  }

  /** Counts one hit against `key`; over `limit` within `windowMs`, the key is blocked for `blockMs`. */
  async hit(key: string, windowMs: number, limit: number, blockMs: number): Promise<[number, number, boolean, number]> {
    try {
      const result = await this.count(this.opaque(key), windowMs, limit, blockMs);
      this.recovered();
      return result;
    } catch (error) {
      this.failed(error as Error);
      return [0, windowMs, false, 0];
    }
  }

  /** Seconds until `key` is unblocked; 0 when it is not blocked. */
  async blockedFor(key: string): Promise<number> {
    try {
      const ms = await this.blockMs(this.opaque(key));
      this.recovered();
      return seconds(ms);
    } catch (error) {
      this.failed(error as Error);
      return 0;
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
