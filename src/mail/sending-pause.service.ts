import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { MAIL_QUEUE } from '../queue/jobs.js';

const KEY = `mail:${MAIL_QUEUE}:sending-paused`;

/**
 * Whether SES has paused sending for the account (AccountSendingPaused), shared through Redis so
 * every worker and /health on every web instance see it. It expires by itself unless renewed.
 */
@Injectable()
export class SendingPauseService {
  constructor(@InjectQueue(MAIL_QUEUE) private readonly queue: Queue) {}

  async pause(reason: string, ttlMs: number): Promise<void> {
    await (await this.redis()).set(KEY, JSON.stringify({ reason, since: Date.now() }), { PX: ttlMs });
  }

  /** Ends a pause that began before `sendStartedAt`: a send that began later proves nothing. */
  async resume(sendStartedAt: number): Promise<void> {
    const redis = await this.redis();
    const pause = parse(await redis.get(KEY));
    if (pause && pause.since < sendStartedAt) await redis.del(KEY);
  }

  /** The reason sending is paused, or null. */
  async reason(): Promise<string | null> {
    return parse(await (await this.redis()).get(KEY))?.reason ?? null;
  }

  private redis() {
    return this.queue.backend.client;
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
