import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { WEBHOOKS_QUEUE } from '../queue/jobs.js';
import { WebhookBacklog } from './webhook-backlog.service.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import { WebhookRelay } from './webhook-relay.service.js';
import { WebhooksService } from './webhooks.service.js';

/** The publishing side of Webhooks: the deliveries table, its relay and the queue. Both processes import it. */
@Module({
  imports: [BullModule.registerQueue({ name: WEBHOOKS_QUEUE })],
  providers: [WebhooksService, WebhookDeliveriesRepository, WebhookRelay, WebhookBacklog],
  exports: [WebhooksService, WebhookDeliveriesRepository],
})
export class WebhooksModule {}
