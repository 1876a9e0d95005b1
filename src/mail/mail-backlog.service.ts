import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { withTimeout } from '../common/with-timeout.js';
import { MAIL_QUEUE } from '../queue/jobs.js';
import { OutboxRepository } from './outbox.repository.js';

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
    private readonly outbox: OutboxRepository,
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

  /** How long the oldest email not yet sent nor failed has waited since it was asked for; 0 when none. */
  async oldestWaitingSeconds(): Promise<number> {
    const oldest = await withTimeout(this.outbox.oldestWaiting(), READ_TIMEOUT_MS, 'PostgreSQL did not answer in time');
    return oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0;
  }

  /** Outbox records the relay has not handed to the queue yet. */
  async outboxBacklog(): Promise<number> {
    return withTimeout(this.outbox.unqueuedCount(), READ_TIMEOUT_MS, 'PostgreSQL did not answer in time');
  }
}
