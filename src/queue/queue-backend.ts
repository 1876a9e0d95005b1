import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createPostgresBackend, setDefaultBackendFactory, type ConnectionOptions, type PostgresPoolConfig } from 'bullmq';
import type { Cluster } from 'ioredis';
import { Environment } from '../config/environment.js';
import { redisCluster, redisOptions } from './redis-options.js';

/** BullMQ's PostgreSQL backend keeps every queue in this schema of DATABASE_URL (migrated by `npm run migration:run`). */
export const BULLMQ_SCHEMA = 'bullmq';

/**
 * Points every BullMQ Queue, Worker and QueueEvents of this process at the backend QUEUE_BACKEND
 * names, and returns the connection they share. @nestjs/bullmq has no backend option, so this
 * must run before any queue is built: the Queue module's root factory, which every queue waits for.
 */
export function selectQueueBackend(env: Environment): ConnectionOptions {
  if (env.QUEUE_BACKEND === 'postgres') {
    setDefaultBackendFactory(createPostgresBackend);
    return postgresQueueConnection(env.DATABASE_URL);
  }
  setDefaultBackendFactory(); // Redis, BullMQ's own default (and back to it after a postgres-mode test in one process)
  return env.REDIS_CLUSTER_NODES ? redisCluster(env.REDIS_CLUSTER_NODES, env.REDIS_URL, { forBullMq: true }) : redisOptions(env.REDIS_URL);
}

/** Each Queue/Worker owns a small pool plus one LISTEN connection; the schema is created by the migration, not here. */
export function postgresQueueConnection(databaseUrl: string): PostgresPoolConfig {
  return { connectionString: databaseUrl, schema: BULLMQ_SCHEMA, max: 5, keepAlive: true, connectionTimeoutMillis: 5000 };
}

/** The connection every queue of this process shares; a Redis Cluster client is shared (BullMQ does not close it), so it is closed here. */
@Injectable()
export class QueueConnection implements OnApplicationShutdown {
  readonly options: ConnectionOptions;

  constructor(env: Environment) {
    this.options = selectQueueBackend(env);
  }

  async onApplicationShutdown(): Promise<void> {
    const cluster = this.options as Partial<Cluster>;
    if (typeof cluster.quit === 'function' && 'nodes' in cluster) await cluster.quit().catch(() => undefined);
  }
}
