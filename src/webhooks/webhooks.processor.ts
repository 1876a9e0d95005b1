import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { Environment } from '../config/environment.js';
import { WEBHOOKS_QUEUE, type WebhookJobData } from '../queue/jobs.js';
import { logWorkerErrors } from '../queue/worker-errors.js';
import { FactBus } from '../database/fact-bus.js';
import { type AttemptOutcome, WebhookAttempted, WebhookSettled } from './webhooks.facts.js';
import { endpointForLogs } from './endpoint-for-logs.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import type { WebhookDelivery } from './webhook-delivery.js';
import { WebhookSender } from './webhook-sender.js';

/** Thrown for an attempt worth retrying: BullMQ waits `delayMs` (see the backoff strategy below). */
class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

// The delay of a failed attempt is chosen by the processor (schedule, Retry-After). Anything else
// thrown (PostgreSQL away, say) is retried sooner, doubling up to a minute.
const backoffStrategy = (attemptsMade: number, _type?: string, error?: Error): number =>
  error instanceof RetryLater ? error.delayMs : Math.min(60_000, 1000 * 2 ** Math.max(0, attemptsMade - 1));

/**
 * Worker only: delivers one webhook per job. 2xx: sent. Network errors, timeouts, 429 and 5xx: tried
 * again after the next WEBHOOK_RETRY_SCHEDULE delay (or Retry-After, when longer), then failed.
 * 410: the endpoint is disabled and this and its other deliveries are held until an admin
 * re-enables it. Any other answer fails the delivery at once. Every outcome is recorded only for
 * the generation the job was made for, so a job superseded by an admin's retry changes nothing.
 */
@Processor(WEBHOOKS_QUEUE, {
  autorun: false,
  // Short locks so a killed worker's deliveries are picked up again within seconds.
  lockDuration: 10_000,
  stalledInterval: 5_000,
  maxStalledCount: 5,
  settings: { backoffStrategy },
})
export class WebhooksProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhooksProcessor.name);

  constructor(
    private readonly env: Environment,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly sender: WebhookSender,
    private readonly facts: FactBus,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    logWorkerErrors(this.worker, this.logger);
    this.worker.concurrency = this.env.WORKER_CONCURRENCY;
    void this.worker.run();
  }

  /** SIGTERM: take no new jobs, let in-flight deliveries finish, before the database goes away. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  async process(job: Job<WebhookJobData, string>): Promise<string> {
    const delivery = await this.deliveries.find(job.data.deliveryId);
    if (!delivery) return 'skipped: delivery gone';
    if (delivery.generation !== job.data.generation) return 'skipped: superseded by a retry';
    if (delivery.status !== 'pending') return `skipped: already ${delivery.status}`;
    // An endpoint is configuration: one taken out of WEBHOOK_URLS is never called again.
    if (!this.env.WEBHOOK_URLS.includes(delivery.endpoint)) {
      await this.fail(delivery, 'the endpoint is no longer in WEBHOOK_URLS', false);
      return 'failed: endpoint no longer configured';
    }
    if (await this.deliveries.isDisabled(delivery.endpoint)) {
      await this.deliveries.hold(delivery, null, false);
      return 'held: endpoint disabled';
    }

    const startedAt = performance.now();
    const result = await this.sender.send(delivery);
    const seconds = (performance.now() - startedAt) / 1000;
    switch (result.outcome) {
      case 'sent':
        this.attempted(delivery, 'sent', seconds);
        if (await this.deliveries.markSent(delivery)) this.facts.observe(new WebhookSettled({ type: delivery.type, outcome: 'sent' }));
        this.logger.log(
          `Webhook ${delivery.type} delivered to ${endpointForLogs(delivery.endpoint)} (${delivery.id}, HTTP ${result.status})`,
        );
        return 'sent';
      case 'gone':
        this.attempted(delivery, 'disabled', seconds);
        await this.deliveries.disableEndpoint(delivery.endpoint, result.error);
        await this.deliveries.hold(delivery, `${result.error} (endpoint disabled until an admin re-enables it)`, true);
        this.logger.warn(`Webhook endpoint ${endpointForLogs(delivery.endpoint)} answered 410: disabled until an admin re-enables it`);
        return 'held: endpoint disabled (410)';
      case 'failed':
        this.attempted(delivery, 'failed', seconds);
        await this.fail(delivery, result.error, true);
        throw new UnrecoverableError(result.error);
      case 'retry': {
        const schedule = this.env.WEBHOOK_RETRY_SCHEDULE;
        const index = job.attemptsMade; // attempts of this job before this one
        if (index >= schedule.length) {
          this.attempted(delivery, 'failed', seconds);
          const reason = `${result.error} (gave up after ${index + 1} attempts)`;
          await this.fail(delivery, reason, true);
          throw new UnrecoverableError(reason);
        }
        this.attempted(delivery, 'retry', seconds);
        const delayMs = Math.max(schedule[index] * 1000, result.retryAfterMs ?? 0);
        await this.deliveries.recordRetry(delivery, result.error, new Date(Date.now() + delayMs));
        throw new RetryLater(result.error, delayMs);
      }
    }
  }

  private attempted(delivery: WebhookDelivery, outcome: AttemptOutcome, seconds: number): void {
    this.facts.observe(new WebhookAttempted({ type: delivery.type, outcome, seconds }));
  }

  private async fail(delivery: WebhookDelivery, reason: string, attempted: boolean): Promise<void> {
    if (await this.deliveries.markFailed(delivery, reason, attempted)) {
      this.facts.observe(new WebhookSettled({ type: delivery.type, outcome: 'failed' }));
    }
    this.logger.warn(`Webhook ${delivery.type} to ${endpointForLogs(delivery.endpoint)} failed for good (${delivery.id}): ${reason}`);
  }
}
