import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { ReputationGuard } from './reputation-guard.service.js';
import { SesFeedbackService } from './ses-feedback.service.js';
import { SuppressionsService } from './suppressions.service.js';

/**
 * SES feedback for both processes: the suppression list, the one feedback handler, the reputation
 * guard. The SNS endpoint and admin API are in SesFeedbackApiModule (web), the SQS consumer in
 * SesFeedbackWorkerModule (worker).
 */
@Module({
  imports: [UsersModule, WebhooksModule],
  providers: [SuppressionsService, SesFeedbackService, ReputationGuard],
  exports: [SuppressionsService, SesFeedbackService, ReputationGuard],
})
export class SesFeedbackModule {}
