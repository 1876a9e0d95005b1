import { Module } from '@nestjs/common';
import { SesFeedbackModule } from '../ses-feedback/ses-feedback.module.js';
import { HealthChecksService } from './health-checks.service.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [SesFeedbackModule],
  controllers: [HealthController],
  providers: [HealthChecksService],
})
export class HealthModule {}
