import { Expose, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUrl, Matches, Max, Min } from 'class-validator';
import { toInt, emptyToUndefined } from '../config/settings.js';
import type { Environment } from '../config/environment.js';

/** Where the queues live and how the relay and workers use them. Validated at start-up with the rest (config/load-config.ts). */
export class QueueSettings {
  /** Not read at all with QUEUE_BACKEND=postgres. */
  @Expose()
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /**
   * Where BullMQ and the shared counters (rate limits, sign-in throttle, SES pause) live: `redis`,
   * or `postgres` (BullMQ's PostgreSQL backend in the `bullmq` schema of DATABASE_URL; no Redis at all).
   */
  @Expose()
  @IsIn(['redis', 'postgres'], { message: 'QUEUE_BACKEND must be redis or postgres' })
  QUEUE_BACKEND: 'redis' | 'postgres' = 'redis';

  /**
   * Redis Cluster instead of REDIS_URL: comma-separated `host:port` seed nodes (any masters). The
   * password, user and TLS of REDIS_URL apply to every node. QUEUE_PREFIX must carry a hash tag.
   */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\s*[^\s,:]+:\d+(\s*,\s*[^\s,:]+:\d+)*\s*$/, { message: 'REDIS_CLUSTER_NODES must be comma-separated host:port pairs' })
  REDIS_CLUSTER_NODES?: string;

  /** BullMQ's Redis key prefix; a hash tag such as `{signup}` keeps a queue's keys in one Redis Cluster slot. */
  @Expose()
  @Matches(/^[^\s:]+$/, { message: 'QUEUE_PREFIX must be non-empty, without spaces or colons' })
  QUEUE_PREFIX = 'bull';

  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  WORKER_CONCURRENCY = 10;

  /** An email queued this long ago and still unsent is handed to the queue again (covers a Redis that lost its data). */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(2)
  OUTBOX_REQUEUE_AFTER_SECONDS = 300;

  /** A cluster keeps a queue's keys in one slot only through a hash tag. */
  static problem(env: Environment): string | null {
    return env.REDIS_CLUSTER_NODES && env.QUEUE_BACKEND === 'redis' && !/\{[^}]+\}/.test(env.QUEUE_PREFIX)
      ? `QUEUE_PREFIX must contain a hash tag such as {signup} with REDIS_CLUSTER_NODES (got "${env.QUEUE_PREFIX}")`
      : null;
  }
}

// Every module's settings are read through the one Environment the loader builds from them.
declare module '../config/environment.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Environment extends QueueSettings {}
}
