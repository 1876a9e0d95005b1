import type { DataSource } from 'typeorm';

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
    private readonly db: DataSource,
    private readonly key: string,
  ) {}

  async set(value: string, ttlMs: number): Promise<void> {
    await this.db.query(
      `INSERT INTO shared_flags (key, value, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
      [this.key, value, ttlMs],
    );
  }

  async get(): Promise<string | null> {
    const rows = await this.db.query<Array<{ value: string }>>(`SELECT value FROM shared_flags WHERE key = $1 AND expires_at > now()`, [
      this.key,
    ]);
    return rows[0]?.value ?? null;
  }

  async clear(): Promise<void> {
    await this.db.query(`DELETE FROM shared_flags WHERE key = $1`, [this.key]);
  }
}
