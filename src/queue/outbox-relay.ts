import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { SYSTEM_CONTEXT } from '../common/request-context.js';
import { withTimeout } from '../common/with-timeout.js';
import type { DatabaseService } from '../database/database.service.js';
import { statement, type Statement } from '../database/statement.js';
import type { Tx } from '../database/tx.js';

const BATCH_SIZE = 500;
const POLL_MS = 1000;
const ENQUEUE_TIMEOUT_MS = 5000;

/** An outbox row as the relay sees it: its UUIDv7 id, its generation, and the job it becomes. */
export interface RelayedRow {
  id: string;
  generation: number;
  job: { name: string; data: object; opts?: Omit<JobsOptions, 'jobId'> };
}

export interface RowGeneration {
  id: string;
  generation: number;
}

/**
 * What a relay needs of one outbox table, implemented by the repository that owns it (Mail's
 * outbox, Webhooks' deliveries). Each row has an id, a generation (bumped to give a retry a job id
 * of its own) and an `enqueued_at`.
 */
export interface OutboxStore {
  /** What its rows are, for log lines: "email(s)". */
  readonly noun: string;
  /** Locks (FOR UPDATE SKIP LOCKED) up to `limit` rows ready for the queue and not enqueued yet. */
  claimUnqueued(tx: Tx, limit: number): Promise<RelayedRow[]>;
  markEnqueued(tx: Tx, ids: readonly string[]): Promise<void>;
  /** Rows enqueued more than `seconds` ago and still unsettled (neither done nor given up). */
  staleEnqueued(seconds: number, limit: number): Promise<RowGeneration[]>;
  /** Hands rows back to the relay under a new generation, if still at the generation seen and unsettled; returns how many. */
  requeue(rows: readonly RowGeneration[]): Promise<number>;
}

/**
 * The relay's statements over an outbox table (`id uuid`, `generation integer`, `enqueued_at
 * timestamptz`), for the repository that owns it: `unsettled` is its condition (over the table
 * aliased `o`) for rows still needing a job. Named after `name`, e.g. `mail.outbox`.
 */
export function relayStatements(
  name: string,
  table: string,
  unsettled: string,
): Record<'markEnqueued' | 'staleEnqueued' | 'requeue', Statement> {
  return {
    markEnqueued: statement(`${name}.mark-enqueued`, `UPDATE ${table} SET enqueued_at = now() WHERE id = ANY($1::uuid[])`),
    staleEnqueued: statement(
      `${name}.stale-enqueued`,
      `SELECT id, generation FROM ${table} o
        WHERE enqueued_at < now() - make_interval(secs => $1) AND ${unsettled} ORDER BY id LIMIT $2`,
    ),
    // Matching the generation seen makes two sweepers racing on one row bump it once.
    requeue: statement(
      `${name}.requeue`,
      `UPDATE ${table} o SET enqueued_at = NULL, generation = o.generation + 1
         FROM unnest($1::uuid[], $2::int[]) AS seen(id, generation)
        WHERE o.id = seen.id AND o.generation = seen.generation AND ${unsettled}
       RETURNING 1`,
    ),
  };
}

/**
 * An OutboxStore over one table of the repository that extends it: the claim is the table's own,
 * the rest is the same for every outbox (relayStatements).
 */
export abstract class RelayedTable implements OutboxStore {
  abstract readonly noun: string;
  abstract claimUnqueued(tx: Tx, limit: number): Promise<RelayedRow[]>;

  protected constructor(
    protected readonly db: DatabaseService,
    private readonly relay: ReturnType<typeof relayStatements>,
  ) {}

  async markEnqueued(tx: Tx, ids: readonly string[]): Promise<void> {
    await tx.query(this.relay.markEnqueued, [ids]);
  }

  staleEnqueued(seconds: number, limit: number): Promise<RowGeneration[]> {
    return this.db.query<RowGeneration>(this.relay.staleEnqueued, [seconds, limit]);
  }

  async requeue(rows: readonly RowGeneration[]): Promise<number> {
    return (await this.db.query(this.relay.requeue, [rows.map((r) => r.id), rows.map((r) => r.generation)])).length;
  }
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
 * Each module with an outbox provides a subclass naming its queue and store.
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
    private readonly db: DatabaseService,
    private readonly store: OutboxStore,
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
    try {
      const stale = await this.store.staleEnqueued(this.requeueAfterSeconds, BATCH_SIZE);
      const lost: RowGeneration[] = [];
      for (const row of stale) {
        const state = await this.queue.getJobState(outboxJobId(row.id, row.generation));
        if (state === 'unknown' || state === 'failed' || state === 'completed') lost.push(row);
      }
      if (lost.length === 0) return 0;
      const count = await this.store.requeue(lost);
      if (count > 0) {
        this.logger.warn(`Re-queued ${count} ${this.store.noun} whose job was lost or failed outside its processor`);
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
    return this.db.transaction(SYSTEM_CONTEXT, async (tx) => {
      const rows = await this.store.claimUnqueued(tx, BATCH_SIZE);
      if (rows.length === 0) return 0;
      const jobs = rows.map(({ id, generation, job }) => ({ ...job, opts: { ...job.opts, jobId: outboxJobId(id, generation) } }));
      // While Redis is away ioredis would hold the command; give up and keep the rows for the next poll.
      // A late add is harmless: the job id makes a second add of the same row a no-op.
      await withTimeout(this.queue.addBulk(jobs), ENQUEUE_TIMEOUT_MS, 'Redis did not accept the jobs in time');
      await this.store.markEnqueued(
        tx,
        rows.map((r) => r.id),
      );
      return rows.length;
    });
  }
}
