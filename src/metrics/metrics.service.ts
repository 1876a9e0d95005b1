import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus instruments, in a registry of its own (not prom-client's global one) so
 * the web app and the worker can live in one process, as they do in the tests.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly registrations = new Counter({
    name: 'signup_registrations_total',
    help: 'New users registered (a known address signing up again is not counted)',
    registers: [this.registry],
  });

  readonly confirmations = new Counter({
    name: 'signup_confirmations_total',
    help: 'Users who confirmed their address',
    registers: [this.registry],
  });

  readonly emailsSent = new Counter({
    name: 'signup_emails_sent_total',
    help: 'Emails accepted by SES',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly emailsFailed = new Counter({
    name: 'signup_emails_failed_total',
    help: 'Emails given up for good (permanent SES error, or attempts used up), by reason',
    labelNames: ['kind', 'reason'] as const,
    registers: [this.registry],
  });

  readonly sendErrors = new Counter({
    name: 'signup_email_send_errors_total',
    help: 'Failed SES calls, retried or not, by reason',
    labelNames: ['kind', 'reason'] as const,
    registers: [this.registry],
  });

  readonly sendLatency = new Histogram({
    name: 'signup_email_send_latency_seconds',
    help: 'From the request that asked for an email (outbox record created) to SES accepting it',
    labelNames: ['kind'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    registers: [this.registry],
  });

  readonly heldBack = new Counter({
    name: 'signup_emails_held_back_total',
    help: 'Times an email to a never-seen address was put back because NEW_ADDRESS_EMAILS_PER_MINUTE was reached',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly newAddressBreakerTripped = new Gauge({
    name: 'signup_new_address_breaker_tripped',
    help: '1 while emails to never-seen addresses are held back (NEW_ADDRESS_EMAILS_PER_MINUTE reached in the last minute)',
    registers: [this.registry],
  });

  readonly retentionDeleted = new Counter({
    name: 'signup_retention_deleted_total',
    help: 'Rows the retention sweep deleted: never-confirmed users, used or expired tokens, sent or failed emails',
    labelNames: ['what'] as const,
    registers: [this.registry],
  });

  readonly queueJobs = new Gauge({
    name: 'signup_queue_jobs',
    help: 'Jobs in the mail queue by state (all workers together; read from Redis at scrape time)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly outboxBacklog = new Gauge({
    name: 'signup_outbox_backlog',
    help: 'Outbox records not yet handed to the queue (read from PostgreSQL at scrape time)',
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'signup_webhook_deliveries_total',
    help: 'Webhook deliveries settled, by event type and outcome (sent, failed)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookAttemptLatency = new Histogram({
    name: 'signup_webhook_attempt_duration_seconds',
    help: 'One webhook HTTP attempt, by event type and outcome (sent, retry, failed, disabled)',
    labelNames: ['type', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly webhookOldestPending = new Gauge({
    name: 'signup_webhook_oldest_pending_seconds',
    help: 'Age of the oldest webhook delivery not yet sent or failed (0 when none; read from PostgreSQL at scrape time)',
    registers: [this.registry],
  });

  readonly emailOldestWaiting = new Gauge({
    name: 'signup_email_oldest_waiting_seconds',
    help: 'Age of the oldest email not yet sent nor failed, from when it was asked for (0 when none; read from PostgreSQL at scrape time)',
    registers: [this.registry],
  });

  readonly webhookEndpointsDisabled = new Gauge({
    name: 'signup_webhook_endpoints_disabled',
    help: 'Webhook endpoints disabled after answering 410, holding their deliveries until an admin enables them (read at scrape time)',
    registers: [this.registry],
  });

  readonly sesPaused = new Gauge({
    name: 'signup_sending_ses_paused',
    help: '1 while SES has answered AccountSendingPaused and every worker waits (read at scrape time)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
