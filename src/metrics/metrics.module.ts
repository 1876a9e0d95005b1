import { Module } from '@nestjs/common';
import { SesFeedbackModule } from '../ses-feedback/ses-feedback.module.js';
import { SesFeedbackMetrics } from './ses-feedback.metrics.js';
import { FactsMetrics } from './facts.metrics.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { SignupGuardMetrics } from './signup-guard.metrics.js';

/** Prometheus metrics at /metrics, counted from facts and read from the queue and outbox. */
@Module({
  imports: [SesFeedbackModule],
  controllers: [MetricsController],
  providers: [MetricsService, FactsMetrics, SesFeedbackMetrics, SignupGuardMetrics],
})
export class MetricsModule {}
