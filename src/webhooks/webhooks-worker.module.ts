import { Module } from '@nestjs/common';
import { WebhookSender } from './webhook-sender.js';
import { WebhooksProcessor } from './webhooks.processor.js';

/** The delivering side of Webhooks, for the worker process only (the web never runs jobs); WebhooksModule.forRoot comes from the entry point. */
@Module({
  providers: [WebhookSender, WebhooksProcessor],
})
export class WebhooksWorkerModule {}
