import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { redisOptions } from './redis-options.js';

/** The Redis connection and job defaults shared by every queue. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({
        connection: redisOptions(env.REDIS_URL),
        defaultJobOptions: {
          attempts: env.SEND_ATTEMPTS,
          backoff: { type: 'exponential', delay: env.SEND_BACKOFF_MS, jitter: 0.5 },
          removeOnComplete: { age: 3600, count: 10_000 },
          removeOnFail: { age: 7 * 86400 },
        },
      }),
    }),
  ],
})
export class QueueModule {}
