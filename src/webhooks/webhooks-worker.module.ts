import { Module } from '@nestjs/common';
import { WebhookSender } from './webhook-sender.js';
import { WebhooksModule } from './webhooks.module.js';
import { WebhooksProcessor } from './webhooks.processor.js';

/** The delivering side of Webhooks, for the worker process only: the web never runs jobs. */
@Module({
  imports: [WebhooksModule],
  providers: [WebhookSender, WebhooksProcessor],
})
export class WebhooksWorkerModule {}
