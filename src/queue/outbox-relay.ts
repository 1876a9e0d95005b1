import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { withTimeout } from '../common/with-timeout.js';

const BATCH_SIZE = 500;
const POLL_MS = 1000;
const ENQUEUE_TIMEOUT_MS = 5000;

/** A row being relayed: its UUIDv7 id, its generation, and whatever columns its job is built from. */
export type OutboxRow = { id: string; generation: number } & Record<string, unknown>;

/**
 * What a relay needs to know about one outbox table. The table has `id uuid`, `generation integer`
 * and `enqueued_at timestamptz` columns; the SQL fragments below are constants of the module that
 * owns the table, never input.
 */
export interface OutboxTable {
  /** The table, e.g. `mail_outbox`. */
  table: string;
  /** What its rows are, for log lines: "email(s)". */
  noun: string;
  /** Extra columns each job is built from. */
  columns: readonly string[];
  /** Besides `enqueued_at IS NULL`: which rows may go to the queue now (SQL over the table aliased `o`). */
  ready?: string;
  /** Which rows are not settled yet (neither done nor given up), so still need a job (alias `o`). */
  unsettled: string;
  /** The job for a row; its id is always outboxJobId(row.id, row.generation). */
  job(row: OutboxRow): { name: string; data: object; opts?: Omit<JobsOptions, 'jobId'> };
}

/**
 * A job id names one outbox row of one database for ever: the row's UUIDv7 (and, after a manual or
 * sweep retry, its generation). A database reset or restore cannot make a new row collide with a
 * finished job that Redis still remembers.
 */
export const outboxJobId = (rowId: string, generation = 0) => (generation === 0 ? rowId : `${rowId}-retry-${generation}`);

/**
 * Moves outbox rows to a BullMQ queue. Rows are claimed with FOR UPDATE SKIP LOCKED, so any number of
 * processes can relay at once; the job id is the row's UUID, so a row enqueued twice (a crash
 * between add and update) is still one job, and no other row can ever have that id.
 * Each module with an outbox provides a subclass naming its queue and table.
 */
export abstract class OutboxRelayBase implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected readonly logger: Logger;
  private draining: Promise<number> | null = null;
  private pendingKick = false;
  private timer?: NodeJS.Timeout;
  private sweepTimer?: NodeJS.Timeout;
  private failing = false;

  protected constructor(
    private readonly queue: Queue,
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxTable,
    /** A row enqueued this long ago and still unsettled is checked against the queue by the sweep. */
    private readonly requeueAfterSeconds: number,
    name: string,
  ) {
    this.logger = new Logger(name);
    // Without a listener every reconnect attempt during a Redis outage prints a stack trace.
    queue.on('error', (error) => this.paused(error));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), POLL_MS);
    const sweepMs = Math.min(60, this.requeueAfterSeconds / 2) * 1000;
    this.sweepTimer = setInterval(() => void this.requeueStale(), sweepMs);
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.sweepTimer);
    await this.draining;
  }

  /**
   * Rows queued long ago and still unsettled, whose job Redis lost or BullMQ failed for a reason
   * the processor did not record (a PostgreSQL outage that outlasted the attempts, a job stalled
   * too often), go back to the relay under a new generation, hence a new job id. Jobs still
   * waiting, delayed or active are left alone.
   */
  async requeueStale(): Promise<number> {
    const { table, unsettled, noun } = this.outbox;
    try {
      const stale: Array<{ id: string; generation: number }> = await this.dataSource.query(
        `SELECT id, generation FROM ${table} o
          WHERE enqueued_at < now() - make_interval(secs => $1) AND ${unsettled}
          ORDER BY id LIMIT $2`,
        [this.requeueAfterSeconds, BATCH_SIZE],
      );
      const lost: Array<{ id: string; generation: number }> = [];
      for (const row of stale) {
        const state = await this.queue.getJobState(outboxJobId(row.id, row.generation));
        if (state === 'unknown' || state === 'failed' || state === 'completed') lost.push(row);
      }
      if (lost.length === 0) return 0;
      // Matching the generation seen makes two sweepers racing on one row bump it once.
      const [, count]: [unknown, number] = await this.dataSource.query(
        `UPDATE ${table} o SET enqueued_at = NULL, generation = o.generation + 1
           FROM unnest($1::uuid[], $2::int[]) AS seen(id, generation)
          WHERE o.id = seen.id AND o.generation = seen.generation AND ${unsettled}`,
        [lost.map((r) => r.id), lost.map((r) => r.generation)],
      );
      if (count > 0) {
        this.logger.warn(`Re-queued ${count} ${noun} whose job was lost or failed outside its processor`);
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
    const { table, columns, ready } = this.outbox;
    return this.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT ${['id', 'generation', ...columns].join(', ')} FROM ${table} o
          WHERE enqueued_at IS NULL${ready ? ` AND ${ready}` : ''} ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH_SIZE],
      );
      if (rows.length === 0) return 0;
      const jobs = rows.map((row) => {
        const { opts, ...job } = this.outbox.job(row);
        return { ...job, opts: { ...opts, jobId: outboxJobId(row.id, row.generation) } };
      });
      // While Redis is away ioredis would hold the command; give up and keep the rows for the next poll.
      // A late add is harmless: the job id makes a second add of the same row a no-op.
      await withTimeout(this.queue.addBulk(jobs), ENQUEUE_TIMEOUT_MS, 'Redis did not accept the jobs in time');
      await manager.query(`UPDATE ${table} SET enqueued_at = now() WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }
}
