import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { RequestContext } from '../common/request-context.js';
import { Environment } from '../config/environment.js';
import { MAIL_QUEUE } from '../queue/jobs.js';
import { QueueBackend } from '../queue/queue-backend.js';
import { type ExpiringFlag, PostgresFlag, RedisFlag } from './sending-pause.store.js';
import { SendingStateRepository, type AutoPauseRow } from './sending-state.repository.js';

const CACHE_MS = 1000;

/**
 * Two reasons not to send. SES pausing the account (AccountSendingPaused): a flag shared through
 * the queue's store (Redis, under QUEUE_PREFIX, or PostgreSQL) so every worker and /health see it;
 * it expires by itself unless renewed. And the automatic pause that SES feedback decides when
 * bounce or complaint rates cross their levels (SES_AUTO_PAUSE): it lasts until an admin resumes.
 */
@Injectable()
export class SendingPauseService {
  private readonly logger = new Logger(SendingPauseService.name);
  private readonly sesPause: ExpiringFlag;
  private autoPauseCache?: { at: number; paused: Promise<boolean> };

  constructor(
    @InjectQueue(MAIL_QUEUE) queue: Queue,
    backend: QueueBackend,
    env: Environment,
    private readonly state: SendingStateRepository,
  ) {
    const key = `${env.QUEUE_PREFIX}:sending-paused`;
    this.sesPause = backend.usesRedis ? new RedisFlag(async () => await queue.backend.client, key) : new PostgresFlag(state, key);
  }

  /** SES paused the account: no worker takes jobs for `ttlMs` unless a later send proves it over. */
  async pauseForSes(reason: string, ttlMs: number): Promise<void> {
    await this.sesPause.set(JSON.stringify({ reason, since: Date.now() }), ttlMs);
  }

  /** Ends SES's pause if it began before `sendStartedAt`: a send that began later proves nothing. */
  async sesResumed(sendStartedAt: number): Promise<void> {
    const pause = parse(await this.sesPause.get());
    if (pause && pause.since < sendStartedAt) await this.sesPause.clear();
  }

  /** Why SES has paused sending, or null. */
  async sesPauseReason(): Promise<string | null> {
    return parse(await this.sesPause.get())?.reason ?? null;
  }

  autoPauseState(): Promise<AutoPauseRow> {
    return this.state.autoPause();
  }

  /** Whether sending is paused automatically; the worker asks before every send (read at most once a second). */
  isAutoPaused(): Promise<boolean> {
    if (this.autoPauseCache && Date.now() - this.autoPauseCache.at < CACHE_MS) return this.autoPauseCache.paused;
    const paused = this.state.autoPause().then((row) => row.pausedAt !== null);
    paused.catch(() => (this.autoPauseCache = undefined));
    this.autoPauseCache = { at: Date.now(), paused };
    return paused;
  }

  /** True when this call paused sending (it was not paused already). */
  async pauseAutomatically(reason: string): Promise<boolean> {
    const paused = await this.state.pauseAutomatically(reason);
    this.autoPauseCache = undefined;
    return paused;
  }

  /** Ends an automatic pause (admin). */
  async resumeAutomaticPause(context: RequestContext): Promise<void> {
    await this.state.resumeAutomaticPause();
    this.autoPauseCache = undefined;
    this.logger.log({ requestId: context.requestId ?? undefined, msg: 'Sending resumed by an admin' });
  }
}

function parse(value: string | null): { reason: string; since: number } | null {
  if (!value) return null;
  try {
    return JSON.parse(value) as { reason: string; since: number };
  } catch {
    return { reason: value, since: 0 };
  }
}
