import { Module } from '@nestjs/common';
import { UsersCoreModule } from '../users/users-core.module.js';
import { ReputationGuard } from './reputation-guard.service.js';
import { SesFeedbackRepository } from './ses-feedback.repository.js';
import { SesFeedbackService } from './ses-feedback.service.js';

/**
 * SES feedback for both processes: the one feedback handler and the reputation guard (Mail keeps
 * the suppression list and the pauses they decide). The SNS endpoint and admin API are in
 * SesFeedbackApiModule (web), the SQS consumer in SesFeedbackWorkerModule (worker).
 */
@Module({
  imports: [UsersCoreModule],
  providers: [SesFeedbackService, SesFeedbackRepository, ReputationGuard],
  exports: [SesFeedbackService, ReputationGuard],
})
export class SesFeedbackModule {}
