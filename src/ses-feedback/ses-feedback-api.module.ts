import { Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { SesFeedbackModule } from './ses-feedback.module.js';
import { SnsReceiver } from './sns-receiver.service.js';
import { SnsSignatureVerifier } from './sns-signature.verifier.js';
import { SNS_BODY_LIMIT_BYTES, SNS_WEBHOOK_PATH, SnsWebhookController } from './sns-webhook.controller.js';
import { SuppressionsAdminController } from './suppressions-admin.controller.js';

/** Web only: POST /webhooks/ses and the admin API for suppressions and the automatic pause. */
@Module({
  imports: [SesFeedbackModule],
  controllers: [SnsWebhookController, SuppressionsAdminController],
  providers: [SnsReceiver, SnsSignatureVerifier],
})
export class SesFeedbackApiModule {
  constructor(adapterHost: HttpAdapterHost) {
    // Every other route keeps the app's 10 kB body limit; SNS messages may be up to 256 kB. Set
    // here, before Nest registers the routes (at init), through Fastify's own route options.
    adapterHost.httpAdapter?.getInstance<FastifyInstance>().addHook('onRoute', (route) => {
      if (route.url === SNS_WEBHOOK_PATH && route.method === 'POST') route.bodyLimit = SNS_BODY_LIMIT_BYTES;
    });
  }
}
