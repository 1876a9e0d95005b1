import { InjectQueue } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { withTimeout } from '../common/with-timeout.js';
import { Environment } from '../config/environment.js';
import { MAIL_QUEUE, mailJobId, type MailJobData } from '../queue/jobs.js';

const BATCH_SIZE = 500;
const POLL_MS = 1000;
const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * Moves outbox records to BullMQ. Rows are claimed with FOR UPDATE SKIP LOCKED, so any number of
 * processes can relay at once; the job id is the row's UUID, so a row enqueued twice (a crash
 * between add and update) is still one job, and no other row can ever have that id.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private draining: Promise<number> | null = null;
  private pendingKick = false;
  private timer?: NodeJS.Timeout;
  private sweepTimer?: NodeJS.Timeout;
  private failing = false;

  constructor(
    @InjectQueue(MAIL_QUEUE) private readonly queue: Queue,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {
    // Without a listener every reconnect attempt during a Redis outage prints a stack trace.
    queue.on('error', (error) => this.paused(error));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), POLL_MS);
    const sweepMs = Math.min(60, this.env.OUTBOX_REQUEUE_AFTER_SECONDS / 2) * 1000;
    this.sweepTimer = setInterval(() => void this.requeueStale(), sweepMs);
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.sweepTimer);
    await this.draining;
  }

  /**
   * Emails queued long ago and still unsent, whose job Redis lost or BullMQ failed for a reason
   * other than sending (a PostgreSQL outage that outlasted the attempts, a job stalled too often),
   * go back to the relay under a new generation, hence a new job id. Jobs still waiting, delayed
   * or active are left alone; send failures are recorded in `failed_at` and wait for an admin.
   */
  async requeueStale(): Promise<number> {
    try {
      const stale: Array<{ id: string; generation: number }> = await this.dataSource.query(
        `SELECT id, generation FROM mail_outbox
          WHERE enqueued_at < now() - make_interval(secs => $1) AND sent_at IS NULL AND failed_at IS NULL
          ORDER BY id LIMIT $2`,
        [this.env.OUTBOX_REQUEUE_AFTER_SECONDS, BATCH_SIZE],
      );
      const lost: Array<{ id: string; generation: number }> = [];
      for (const row of stale) {
        const state = await this.queue.getJobState(mailJobId(row.id, row.generation));
        if (state === 'unknown' || state === 'failed' || state === 'completed') lost.push(row);
      }
      if (lost.length === 0) return 0;
      // Matching the generation seen makes two sweepers racing on one row bump it once.
      const [, count]: [unknown, number] = await this.dataSource.query(
        `UPDATE mail_outbox m SET enqueued_at = NULL, generation = m.generation + 1
           FROM unnest($1::uuid[], $2::int[]) AS seen(id, generation)
          WHERE m.id = seen.id AND m.generation = seen.generation AND m.sent_at IS NULL AND m.failed_at IS NULL`,
        [lost.map((r) => r.id), lost.map((r) => r.generation)],
      );
      if (count > 0) {
        this.logger.warn(`Re-queued ${count} email(s) whose job was lost or failed outside sending`);
        this.kick();
      }
      return count;
    } catch {
      return 0; // PostgreSQL or Redis away: the next sweep tries again
    }
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
      // Only a batch Redis accepted proves the way to the queue is open again.
      if (this.failing && moved > 0) {
        this.logger.log('Outbox relay recovered');
        this.failing = false;
      }
    } catch (error) {
      // Redis or PostgreSQL is away: the records stay in the outbox and the next poll tries again.
      this.paused(error as Error);
    }
    return moved;
  }

  private paused(error: Error): void {
    if (!this.failing) this.logger.warn(`Outbox relay paused: ${error.message}`);
    this.failing = true;
  }

  private relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: Array<{ id: string; kind: string; generation: number; request_id: string | null }> = await manager.query(
        `SELECT id, kind, generation, request_id FROM mail_outbox
          WHERE enqueued_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH_SIZE],
      );
      if (rows.length === 0) return 0;
      const jobs = rows.map(({ id, kind, generation, request_id }) => ({
        name: kind,
        data: { outboxId: id, requestId: request_id ?? undefined } satisfies MailJobData,
        opts: { jobId: mailJobId(id, generation) },
      }));
      // While Redis is away ioredis would hold the command; give up and keep the rows for the next poll.
      // A late add is harmless: the job id makes a second add of the same row a no-op.
      await withTimeout(this.queue.addBulk(jobs), ENQUEUE_TIMEOUT_MS, 'Redis did not accept the jobs in time');
      await manager.query(`UPDATE mail_outbox SET enqueued_at = now() WHERE id = ANY($1::uuid[])`, [
        rows.map((r) => r.id),
      ]);
      return rows.length;
    });
  }
}
