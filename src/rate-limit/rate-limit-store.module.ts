import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Environment } from '../config/environment.js';
import { PostgresRateLimitStore } from './postgres-rate-limit.store.js';
import { RateLimitStore } from './rate-limit.store.js';
import { RedisRateLimitStore } from './redis-rate-limit.store.js';

/** The counters where QUEUE_BACKEND says: Redis, or PostgreSQL (nothing touches Redis then). */
@Module({
  providers: [
    {
      provide: RateLimitStore,
      inject: [Environment, getDataSourceToken()],
      useFactory: (env: Environment, db: DataSource): RateLimitStore => {
        const keySecret = env.APP_SECRET ?? Environment.devSecret;
        return env.QUEUE_BACKEND === 'postgres'
          ? new PostgresRateLimitStore(keySecret, db)
          : RedisRateLimitStore.connect(keySecret, env.REDIS_URL, env.REDIS_CLUSTER_NODES);
      },
    },
  ],
  exports: [RateLimitStore],
})
export class RateLimitStoreModule {}
