import { Module } from '@nestjs/common';
import { SesFeedbackModule } from '../ses-feedback/ses-feedback.module.js';
import { SesFeedbackMetrics } from './ses-feedback.metrics.js';
import { FactsMetrics } from './facts.metrics.js';
import { MetricsService } from './metrics.service.js';
import { SignupGuardMetrics } from './signup-guard.metrics.js';

/**
 * Prometheus metrics, counted from facts and read from the queue and outbox, in both processes.
 * The /metrics route is MetricsHttpModule's: the worker imports it only with WORKER_HEALTH_PORT.
 */
@Module({
  imports: [SesFeedbackModule],
  providers: [MetricsService, FactsMetrics, SesFeedbackMetrics, SignupGuardMetrics],
  exports: [MetricsService],
})
export class MetricsModule {}
