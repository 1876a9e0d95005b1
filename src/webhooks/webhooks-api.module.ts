import { Module } from '@nestjs/common';
import { WebhooksAdminController } from './webhooks-admin.controller.js';
import { WebhooksModule } from './webhooks.module.js';

/** Admin REST for webhook deliveries and endpoints (web process only). */
@Module({
  imports: [WebhooksModule],
  controllers: [WebhooksAdminController],
})
export class WebhooksApiModule {}
