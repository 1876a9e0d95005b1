import type { SendingStateRepository } from './sending-state.repository.js';

/** One shared value with a time to live, seen by every worker and web instance. */
export interface ExpiringFlag {
  set(value: string, ttlMs: number): Promise<void>;
  get(): Promise<string | null>;
  clear(): Promise<void>;
}

export interface RedisLike {
  set(key: string, value: string, opts: { PX: number }): Promise<unknown>;
  get(key: string): Promise<string | null>;
  del(key: string): Promise<unknown>;
}

/** QUEUE_BACKEND=redis: a key with PX expiry, on the queue's own Redis connection. */
export class RedisFlag implements ExpiringFlag {
  constructor(
    private readonly client: () => Promise<RedisLike>,
    private readonly key: string,
  ) {}

  async set(value: string, ttlMs: number): Promise<void> {
    await (await this.client()).set(this.key, value, { PX: ttlMs });
  }

  async get(): Promise<string | null> {
    return (await this.client()).get(this.key);
  }

  async clear(): Promise<void> {
    await (await this.client()).del(this.key);
  }
}

/** QUEUE_BACKEND=postgres: a row of shared_flags; an expired row reads as absent. */
export class PostgresFlag implements ExpiringFlag {
  constructor(
    private readonly state: SendingStateRepository,
    private readonly key: string,
  ) {}

  set(value: string, ttlMs: number): Promise<void> {
    return this.state.setFlag(this.key, value, ttlMs);
  }

  get(): Promise<string | null> {
    return this.state.flag(this.key);
  }

  clear(): Promise<void> {
    return this.state.clearFlag(this.key);
  }
}
