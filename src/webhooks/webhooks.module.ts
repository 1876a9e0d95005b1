import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { WEBHOOKS_QUEUE } from '../queue/jobs.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import type { AnyWebhookEvent } from './webhook-event.js';
import { WEBHOOK_EVENT_TYPES, WebhookEventRegistry } from './webhook-events.js';
import { WebhookReactions } from './webhook-reactions.service.js';
import { WebhookRelay } from './webhook-relay.service.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * The publishing side of Webhooks, for both processes: the registry of event types (given by the
 * entry point), their subscriptions to facts, the deliveries table, its relay and the queue.
 * Global: one instance per process.
 */
@Module({})
export class WebhooksModule {
  static forRoot(events: readonly AnyWebhookEvent[]): DynamicModule {
    return {
      module: WebhooksModule,
      global: true,
      imports: [BullModule.registerQueue({ name: WEBHOOKS_QUEUE })],
      providers: [
        { provide: WEBHOOK_EVENT_TYPES, useValue: events },
        WebhookEventRegistry,
        WebhooksService,
        WebhookDeliveriesRepository,
        WebhookRelay,
        WebhookReactions,
      ],
      exports: [WebhooksService, WebhookEventRegistry, WebhookDeliveriesRepository], // the repository for WebhooksWorkerModule
    };
  }
}
