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
    await (await this.redis()).set(KEY, reason, { PX: ttlMs });
  }

  async resume(): Promise<void> {
    await (await this.redis()).del(KEY);
  }

  /** The reason sending is paused, or null. */
  async reason(): Promise<string | null> {
    return (await this.redis()).get(KEY);
  }

  private redis() {
    return this.queue.backend.client;
  }
}
