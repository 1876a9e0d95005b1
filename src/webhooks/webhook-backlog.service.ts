import { type BeforeApplicationShutdown, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { PeriodicTask } from '../common/periodic-task.js';
import { WEBHOOK_BACKLOG, WebhookBacklogEvent } from './events/webhook.events.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';

const EVERY_MS = 10_000;

/** Reports how long the oldest pending delivery has waited, for the metric (one indexed query every 10 s). */
@Injectable()
export class WebhookBacklog implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task = new PeriodicTask(WebhookBacklog.name, () => this.report(), EVERY_MS);

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly events: EventEmitter2,
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
    this.events.emit(WEBHOOK_BACKLOG, new WebhookBacklogEvent(seconds));
    return seconds;
  }
}
