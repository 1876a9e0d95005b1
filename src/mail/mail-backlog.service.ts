import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { withTimeout } from '../common/with-timeout.js';
import { MAIL_QUEUE } from '../queue/jobs.js';

const READ_TIMEOUT_MS = 1500;

export type QueueCounts = Record<'waiting' | 'active' | 'delayed' | 'failed', number>;

/**
 * What is waiting to be sent, in the queue and in the outbox: Mail's read-only view for /metrics
 * and /health; bounded in time so an outage cannot hang them.
 */
@Injectable()
export class MailBacklogService {
  constructor(
    @InjectQueue(MAIL_QUEUE) private readonly queue: Queue,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async queueCounts(): Promise<QueueCounts> {
    const counts = await withTimeout(
      this.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'),
      READ_TIMEOUT_MS,
      'Redis did not answer in time',
    );
    return {
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  /** Outbox records the relay has not handed to the queue yet (uses the partial index on pending rows). */
  async outboxBacklog(): Promise<number> {
    const [row]: Array<{ count: number }> = await withTimeout(
      this.dataSource.query(`SELECT count(*)::int AS count FROM mail_outbox WHERE enqueued_at IS NULL`),
      READ_TIMEOUT_MS,
      'PostgreSQL did not answer in time',
    );
    return row.count;
  }
}
