import { Injectable } from '@nestjs/common';
import { withTimeout } from '../common/with-timeout.js';
import { Environment } from '../config/environment.js';
import { DatabaseService } from '../database/database.service.js';
import { MailBacklogService } from '../mail/mail-backlog.service.js';
import { NewAddressBreaker } from '../mail/new-address-breaker.service.js';
import { SendingPauseService } from '../mail/sending-pause.service.js';
import { QueueBackend } from '../queue/queue-backend.js';
import { ReputationGuard } from '../ses-feedback/reputation-guard.service.js';

const CHECK_TIMEOUT_MS = 1500;
// Each report is reused for this long: a flood of /health calls costs at most one round of checks a second.
const CACHE_MS = 1000;

export interface CheckResult {
  status: 'up' | 'down';
  [detail: string]: unknown;
}

export interface HealthReport {
  status: 'ok' | 'error';
  details: Record<string, CheckResult>;
}

/** Readiness (PostgreSQL, Redis) and sending (SES pause, mail backlog), each checked at most once a second. */
@Injectable()
export class HealthChecksService {
  private readonly cache = new Map<string, { at: number; report: Promise<HealthReport> }>();

  constructor(
    private readonly db: DatabaseService,
    private readonly queue: QueueBackend,
    private readonly backlog: MailBacklogService,
    private readonly pause: SendingPauseService,
    private readonly newAddresses: NewAddressBreaker,
    private readonly env: Environment,
    private readonly reputation: ReputationGuard,
  ) {}

  /** Whether this instance can take requests: PostgreSQL and (QUEUE_BACKEND=redis) Redis answer. Nothing about sending. */
  readiness(): Promise<HealthReport> {
    return this.cached('readiness', async () =>
      report({
        database: await probe(() => this.db.ping()),
        // With QUEUE_BACKEND=postgres the queue lives in the database checked above: no Redis to check.
        ...(this.queue.usesRedis && {
          redis: await probe(async () => ({ waiting: (await this.backlog.queueCounts()).waiting })),
        }),
      }),
    );
  }

  /**
   * Whether emails go out: SES has not paused sending, the queue is not further behind than
   * HEALTH_MAX_BACKLOG, and emails to new addresses are not being held back (NEW_ADDRESS_EMAILS_PER_MINUTE).
   */
  sending(): Promise<HealthReport> {
    return this.cached('sending', async () => {
      const [ses, backlog, newAddresses, reputation] = await Promise.all([
        probe(async () => {
          const reason = await this.pause.sesPauseReason();
          if (reason) throw new Error(`SES has paused sending: ${reason}`);
        }),
        probe(async () => {
          const { waiting, delayed } = await this.backlog.queueCounts();
          const max = this.env.HEALTH_MAX_BACKLOG;
          // Waiting and delayed jobs: work the workers have not caught up with. 0 disables the limit.
          const counts = { backlog: waiting + delayed, max };
          if (max > 0 && counts.backlog > max) return { ...counts, status: 'down' as const };
          return counts;
        }),
        probe(async () => {
          const { limit, sentLastMinute, tripped } = await this.newAddresses.state();
          return { status: tripped ? ('down' as const) : ('up' as const), sentLastMinute, limit };
        }),
        probe(() => this.reputationCheck()),
      ]);
      return report({ ses, backlog, newAddresses, reputation });
    });
  }

  /** SES bounce and complaint rates over the recent sends: down over a warning level, or while sending is paused automatically. */
  private async reputationCheck(): Promise<Record<string, unknown>> {
    const state = await this.reputation.state();
    const e = this.env;
    return {
      status: state.warning || state.autoPaused ? ('down' as const) : ('up' as const),
      ...(state.autoPaused && {
        message: `Sending paused automatically since ${state.autoPaused.since.toISOString()}: ${state.autoPaused.reason}`,
      }),
      ...(!state.autoPaused && state.warning && { message: state.warning }),
      sends: state.sends,
      bounces: state.bounces,
      complaints: state.complaints,
      bounceRate: state.bounceRate,
      complaintRate: state.complaintRate,
      minSends: e.SES_REPUTATION_MIN_SENDS,
      warnAtPercent: { bounce: e.SES_BOUNCE_WARN_PERCENT, complaint: e.SES_COMPLAINT_WARN_PERCENT },
      pauseAtPercent: e.SES_AUTO_PAUSE ? { bounce: e.SES_BOUNCE_PAUSE_PERCENT, complaint: e.SES_COMPLAINT_PAUSE_PERCENT } : null,
      autoPaused: state.autoPaused !== null,
    };
  }

  private cached(name: string, run: () => Promise<HealthReport>): Promise<HealthReport> {
    const hit = this.cache.get(name);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.report;
    const fresh = { at: Date.now(), report: run() };
    this.cache.set(name, fresh);
    return fresh.report;
  }
}

async function probe(run: () => Promise<Record<string, unknown> | void>): Promise<CheckResult> {
  try {
    return { status: 'up', ...(await withTimeout(run(), CHECK_TIMEOUT_MS, 'did not answer in time')) };
  } catch (error) {
    return { status: 'down', message: (error as Error).message };
  }
}

function report(details: Record<string, CheckResult>): HealthReport {
  return { status: Object.values(details).every((c) => c.status === 'up') ? 'ok' : 'error', details };
}

/** What anyone may see: the overall status and each check up or down, no messages, addresses or counts. */
export function publicView(full: HealthReport): HealthReport {
  return {
    status: full.status,
    details: Object.fromEntries(Object.entries(full.details).map(([name, check]) => [name, { status: check.status }])),
  };
}
