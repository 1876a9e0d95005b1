import { createPostgresBackend, setDefaultBackendFactory, type ConnectionOptions, type PostgresPoolConfig } from 'bullmq';
import type { Environment } from '../config/environment.js';
import { redisOptions } from './redis-options.js';

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
  return redisOptions(env.REDIS_URL);
}

/** Each Queue/Worker owns a small pool plus one LISTEN connection; the schema is created by the migration, not here. */
export function postgresQueueConnection(databaseUrl: string): PostgresPoolConfig {
  return { connectionString: databaseUrl, schema: BULLMQ_SCHEMA, max: 5, keepAlive: true, connectionTimeoutMillis: 5000 };
}
