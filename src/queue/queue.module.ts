import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { selectQueueBackend } from './queue-backend.js';

/** The queue backend (QUEUE_BACKEND: Redis or PostgreSQL), its connection, and job defaults shared by every queue. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({
        // Selected here, once, before any queue is registered: every queue injects this config.
        connection: selectQueueBackend(env),
        prefix: env.QUEUE_PREFIX,
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
