import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { QueueConnection } from './queue-backend.js';

@Module({ providers: [QueueConnection], exports: [QueueConnection] })
class QueueConnectionModule {}

/** The queue backend (QUEUE_BACKEND: Redis, Redis Cluster or PostgreSQL), its connection, and job defaults shared by every queue. */
@Module({
  imports: [
    BullModule.forRootAsync({
      imports: [QueueConnectionModule],
      inject: [Environment, QueueConnection],
      useFactory: (env: Environment, connection: QueueConnection) => ({
        // The backend is selected in QueueConnection, once, before any queue is registered: every queue injects this config.
        connection: connection.options,
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
