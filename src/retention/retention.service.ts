import { type BeforeApplicationShutdown, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task.js';
import { SYSTEM_CONTEXT } from '../common/request-context.js';
import { Environment } from '../config/environment.js';
import { FactBus } from '../database/fact-bus.js';
import { MailService } from '../mail/mail.service.js';
import { TokensService } from '../tokens/tokens.service.js';
import { UsersService } from '../users/users.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { RetentionPurged, type RetainedData } from './retention.facts.js';

const BATCH = 500;
const DAY_MS = 86_400_000;

/**
 * Worker only: deletes what is no longer needed, in small batches so that no statement holds locks
 * for long: never-confirmed users (with their tokens and emails) after UNCONFIRMED_RETENTION_DAYS,
 * so the address can sign up again; used and expired tokens and sent or failed emails and webhook deliveries after
 * RETENTION_DAYS. Each module deletes its own rows.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private task?: PeriodicTask;

  constructor(
    private readonly env: Environment,
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly mail: MailService,
    private readonly facts: FactBus,
    private readonly webhooks: WebhooksService,
  ) {}

  onApplicationBootstrap(): void {
    const shortest = Math.min(this.env.RETENTION_DAYS, this.env.UNCONFIRMED_RETENTION_DAYS || Infinity) * DAY_MS;
    const everyMs = Math.min(3_600_000, Math.max(500, shortest / 10));
    this.task = new PeriodicTask(RetentionService.name, () => this.sweep(), everyMs);
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task?.stop();
  }

  async sweep(): Promise<void> {
    const now = Date.now();
    if (this.env.UNCONFIRMED_RETENTION_DAYS > 0) {
      const cutoff = new Date(now - this.env.UNCONFIRMED_RETENTION_DAYS * DAY_MS);
      await this.drain('never-confirmed-users', (limit) => this.users.purgeNeverConfirmed(cutoff, limit, SYSTEM_CONTEXT));
    }
    const cutoff = new Date(now - this.env.RETENTION_DAYS * DAY_MS);
    await this.drain('tokens', (limit) => this.tokens.purge(cutoff, limit));
    await this.drain('emails', (limit) => this.mail.purgeFinished(cutoff, limit));
    await this.drain('webhook-deliveries', (limit) => this.webhooks.purgeFinished(cutoff, limit));
  }

  private async drain(what: RetainedData, purge: (limit: number) => Promise<number>): Promise<void> {
    for (;;) {
      const count = await purge(BATCH);
      if (count > 0) this.facts.observe(new RetentionPurged({ what, count }));
      if (count < BATCH) return;
    }
  }
}
