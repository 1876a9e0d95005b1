import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createPostgresBackend, setDefaultBackendFactory, type ConnectionOptions, type PostgresPoolConfig } from 'bullmq';
import type { Cluster } from 'ioredis';
import { Environment } from '../config/environment.js';
import { BULLMQ_SCHEMA } from '../database/bullmq-schema.js';
import { redisCluster, redisOptions } from './redis-options.js';

export type QueueBackendKind = 'redis' | 'postgres';

/** Each Queue/Worker owns a small pool plus one LISTEN connection; the schema is created by the migration, not here. */
export function postgresQueueConnection(databaseUrl: string): PostgresPoolConfig {
  return { connectionString: databaseUrl, schema: BULLMQ_SCHEMA, max: 5, keepAlive: true, connectionTimeoutMillis: 5000 };
}

/**
 * The one answer to "Redis or PostgreSQL?" (QUEUE_BACKEND) for everyone: the queues, the rate-limit
 * counters, the SES pause flag, /health. Built before any queue: it points every BullMQ Queue, Worker
 * and QueueEvents of this process at that backend (@nestjs/bullmq has no backend option) and holds
 * the connection they share.
 */
@Injectable()
export class QueueBackend implements OnApplicationShutdown {
  readonly kind: QueueBackendKind;
  readonly connection: ConnectionOptions;

  constructor(env: Environment) {
    this.kind = env.QUEUE_BACKEND;
    if (this.kind === 'postgres') {
      setDefaultBackendFactory(createPostgresBackend);
      this.connection = postgresQueueConnection(env.DATABASE_URL);
    } else {
      setDefaultBackendFactory(); // Redis, BullMQ's own default (and back to it after a postgres-mode test in one process)
      this.connection = env.REDIS_CLUSTER_NODES
        ? redisCluster(env.REDIS_CLUSTER_NODES, env.REDIS_URL, { forBullMq: true })
        : redisOptions(env.REDIS_URL);
    }
  }

  get usesRedis(): boolean {
    return this.kind === 'redis';
  }

  /** A Redis Cluster client is shared (BullMQ does not close it), so it is closed here. */
  async onApplicationShutdown(): Promise<void> {
    const cluster = this.connection as Partial<Cluster>;
    if (typeof cluster.quit === 'function' && 'nodes' in cluster) await cluster.quit().catch(() => undefined);
  }
}
