import { type BeforeApplicationShutdown, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task.js';
import { FactBus } from '../database/fact-bus.js';
import { WebhookBacklogMeasured } from './webhooks.facts.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';

const EVERY_MS = 10_000;

/** Reports how long the oldest pending delivery has waited, for the metric (one indexed query every 10 s). */
@Injectable()
export class WebhookBacklog implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task = new PeriodicTask(WebhookBacklog.name, () => this.report(), EVERY_MS);

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly facts: FactBus,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  async report(): Promise<number> {
    const oldest = await this.deliveries.oldestPending();
    const seconds = oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0;
    this.facts.observe(new WebhookBacklogMeasured({ oldestPendingSeconds: seconds }));
    return seconds;
  }
}
