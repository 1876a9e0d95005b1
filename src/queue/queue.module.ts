import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { QueueBackend } from './queue-backend.js';

@Global()
@Module({ providers: [QueueBackend], exports: [QueueBackend] })
class QueueBackendModule {}

/** The queue backend (QUEUE_BACKEND: Redis, Redis Cluster or PostgreSQL), its connection, and job defaults shared by every queue. */
@Module({
  imports: [
    QueueBackendModule,
    BullModule.forRootAsync({
      imports: [QueueBackendModule],
      inject: [Environment, QueueBackend],
      useFactory: (env: Environment, backend: QueueBackend) => ({
        // Every queue injects this config, so the backend is selected before any queue is built.
        connection: backend.connection,
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
  exports: [QueueBackendModule],
})
export class QueueModule {}
