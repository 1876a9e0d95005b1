import { Module } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { DatabaseService } from '../database/database.service.js';
import { QueueBackend } from '../queue/queue-backend.js';
import { PostgresRateLimitStore } from './postgres-rate-limit.store.js';
import { RateLimitStore } from './rate-limit.store.js';
import { RedisRateLimitStore } from './redis-rate-limit.store.js';

/** The counters where QUEUE_BACKEND says: Redis, or PostgreSQL (nothing touches Redis then). */
@Module({
  providers: [
    {
      provide: RateLimitStore,
      inject: [Environment, QueueBackend, DatabaseService],
      useFactory: (env: Environment, backend: QueueBackend, db: DatabaseService): RateLimitStore =>
        backend.kind === 'postgres'
          ? new PostgresRateLimitStore(env.APP_SECRET, db)
          : RedisRateLimitStore.connect(env.APP_SECRET, env.REDIS_URL, env.REDIS_CLUSTER_NODES),
    },
  ],
  exports: [RateLimitStore],
})
export class RateLimitStoreModule {}
