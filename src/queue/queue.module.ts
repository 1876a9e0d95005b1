import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { QueueBackend } from './queue-backend.js';

/** How long finished jobs stay visible (Bull Board, the relay's sweep): every queue's defaults include it. */
export const KEEP_FINISHED_JOBS = { removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 7 * 86400 } } as const;

@Global()
@Module({ providers: [QueueBackend], exports: [QueueBackend] })
class QueueBackendModule {}

/** The queue backend (QUEUE_BACKEND: Redis, Redis Cluster or PostgreSQL), its connection, and what every queue keeps of finished jobs. */
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
        defaultJobOptions: KEEP_FINISHED_JOBS,
      }),
    }),
  ],
  exports: [QueueBackendModule],
})
export class QueueModule {}
