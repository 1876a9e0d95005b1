import { Module } from '@nestjs/common';
import { WebhooksAdminController } from './webhooks-admin.controller.js';

/** Admin REST for webhook deliveries and endpoints (web process only). */
@Module({
  controllers: [WebhooksAdminController],
})
export class WebhooksApiModule {}
