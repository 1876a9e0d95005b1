import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module.js';
import { SesFeedbackModule } from '../ses-feedback/ses-feedback.module.js';
import { SesFeedbackMetrics } from './ses-feedback.metrics.js';
import { DomainEventsMetricsListener } from './domain-events.metrics-listener.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** Prometheus metrics at /metrics, counted from domain events and read from the queue and outbox. */
@Module({
  imports: [MailModule, SesFeedbackModule],
  controllers: [MetricsController],
  providers: [MetricsService, DomainEventsMetricsListener, SesFeedbackMetrics],
})
export class MetricsModule {}
