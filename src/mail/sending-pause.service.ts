import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { Environment } from '../config/environment.js';
import { MAIL_QUEUE } from '../queue/jobs.js';
import { type ExpiringFlag, PostgresFlag, RedisFlag } from './sending-pause.store.js';

const KEY = `mail:${MAIL_QUEUE}:sending-paused`;

/**
 * Whether SES has paused sending for the account (AccountSendingPaused), shared through the queue's
 * store (Redis, or PostgreSQL with QUEUE_BACKEND=postgres) so every worker and /health on every web
 * instance see it. It expires by itself unless renewed.
 */
@Injectable()
export class SendingPauseService {
  private readonly flag: ExpiringFlag;

  constructor(@InjectQueue(MAIL_QUEUE) queue: Queue, @InjectDataSource() db: DataSource, env: Environment) {
    this.flag = env.QUEUE_BACKEND === 'postgres' ? new PostgresFlag(db, KEY) : new RedisFlag(async () => await queue.backend.client, KEY);
  }

  async pause(reason: string, ttlMs: number): Promise<void> {
    await this.flag.set(JSON.stringify({ reason, since: Date.now() }), ttlMs);
  }

  /** Ends a pause that began before `sendStartedAt`: a send that began later proves nothing. */
  async resume(sendStartedAt: number): Promise<void> {
    const pause = parse(await this.flag.get());
    if (pause && pause.since < sendStartedAt) await this.flag.clear();
  }

  /** The reason sending is paused, or null. */
  async reason(): Promise<string | null> {
    return parse(await this.flag.get())?.reason ?? null;
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
