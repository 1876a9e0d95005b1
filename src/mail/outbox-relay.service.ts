import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { withTimeout } from '../common/with-timeout.js';
import { MAIL_QUEUE, MailJob, outboxJobId, type MailJobName, type MailKind } from '../queue/jobs.js';

const BATCH_SIZE = 500;
const POLL_MS = 1000;
const ENQUEUE_TIMEOUT_MS = 5000;
const JOB_FOR_KIND: Record<MailKind, MailJobName> = { confirmation: MailJob.SendConfirmation };

/**
 * Moves outbox records to BullMQ. Rows are claimed with FOR UPDATE SKIP LOCKED, so any number of
 * processes can relay at once; the job id is derived from the outbox id, so a row enqueued twice
 * (a crash between add and update) is still one job.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private draining: Promise<number> | null = null;
  private pendingKick = false;
  private timer?: NodeJS.Timeout;
  private failing = false;

  constructor(
    @InjectQueue(MAIL_QUEUE) private readonly queue: Queue,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.draining;
  }

  /** Starts draining unless a drain is running, in which case that drain goes round once more. */
  kick(): void {
    if (this.draining) {
      this.pendingKick = true;
      return;
    }
    this.draining = this.drain().finally(() => (this.draining = null));
  }

  /** Relays until nothing is waiting; resolves with the number of records moved. */
  async drain(): Promise<number> {
    let moved = 0;
    try {
      do {
        this.pendingKick = false;
        let batch: number;
        do {
          batch = await this.relayBatch();
          moved += batch;
        } while (batch === BATCH_SIZE);
      } while (this.pendingKick);
      if (this.failing) this.logger.log('Outbox relay recovered');
      this.failing = false;
    } catch (error) {
      // Redis or PostgreSQL is away: the records stay in the outbox and the next poll tries again.
      if (!this.failing) this.logger.warn(`Outbox relay paused: ${(error as Error).message}`);
      this.failing = true;
    }
    return moved;
  }

  private relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: Array<{ id: string; kind: MailKind; request_id: string | null }> = await manager.query(
        `SELECT id, kind, request_id FROM mail_outbox WHERE enqueued_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH_SIZE],
      );
      if (rows.length === 0) return 0;
      const jobs = rows.map(({ id, kind, request_id }) => ({
        name: JOB_FOR_KIND[kind],
        data: { outboxId: String(id), requestId: request_id ?? undefined },
        opts: { jobId: outboxJobId(String(id)) },
      }));
      // While Redis is away ioredis would hold the command; give up and keep the rows for the next poll.
      // A late add is harmless: the job id makes a second add of the same row a no-op.
      await withTimeout(this.queue.addBulk(jobs), ENQUEUE_TIMEOUT_MS, 'Redis did not accept the jobs in time');
      await manager.query(`UPDATE mail_outbox SET enqueued_at = now() WHERE id = ANY($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      return rows.length;
    });
  }
}
