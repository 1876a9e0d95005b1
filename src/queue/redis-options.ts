import type { RedisOptions } from 'bullmq';

/** BullMQ's connection for REDIS_URL, reconnecting through an outage at most every 2 s. */
export const redisOptions = (url: string): RedisOptions => ({
  url,
  retryStrategy: (times: number) => Math.min(times * 200, 2000),
});
