import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  MAIL_ATTEMPT_FAILED,
  MAIL_FAILED,
  MAIL_HELD_BACK,
  MAIL_SENT,
  MailAttemptFailedEvent,
  MailFailedEvent,
  MailHeldBackEvent,
  MailSentEvent,
} from '../mail/events/mail.events.js';
import { RETENTION_PURGED, RetentionPurgedEvent } from '../retention/retention.events.js';
import { USER_CONFIRMED, USER_REGISTERED } from '../users/events/user.events.js';
import {
  WEBHOOK_ATTEMPTED,
  WEBHOOK_BACKLOG,
  WEBHOOK_SETTLED,
  WebhookAttemptedEvent,
  WebhookBacklogEvent,
  WebhookSettledEvent,
} from '../webhooks/events/webhook.events.js';
import { MetricsService } from './metrics.service.js';

/** "MessageRejected: Email address is not verified" → "MessageRejected": a bounded label, never an address. */
export function reasonLabel(reason: string): string {
  const name = reason.split(':', 1)[0].trim();
  return /^[A-Za-z][A-Za-z0-9_.]{0,63}$/.test(name) ? name : 'other';
}

/** Counts what the modules report through their domain events; no business class knows about metrics. */
@Injectable()
export class DomainEventsMetricsListener {
  constructor(private readonly metrics: MetricsService) {}

  @OnEvent(USER_REGISTERED)
  onRegistered(): void {
    this.metrics.registrations.inc();
  }

  @OnEvent(USER_CONFIRMED)
  onConfirmed(): void {
    this.metrics.confirmations.inc();
  }

  @OnEvent(MAIL_SENT)
  onSent(event: MailSentEvent): void {
    if (event.repeated) return; // a redelivered job's email went out once, and was counted then
    this.metrics.emailsSent.inc({ kind: event.kind });
    const seconds = (event.sentAt.getTime() - event.requestedAt.getTime()) / 1000;
    this.metrics.sendLatency.observe({ kind: event.kind }, Math.max(0, seconds));
  }

  @OnEvent(MAIL_FAILED)
  onFailed(event: MailFailedEvent): void {
    this.metrics.emailsFailed.inc({ kind: event.kind, reason: reasonLabel(event.reason) });
  }

  @OnEvent(MAIL_ATTEMPT_FAILED)
  onAttemptFailed(event: MailAttemptFailedEvent): void {
    this.metrics.sendErrors.inc({ kind: event.kind, reason: reasonLabel(event.reason) });
  }

  @OnEvent(MAIL_HELD_BACK)
  onHeldBack(event: MailHeldBackEvent): void {
    this.metrics.heldBack.inc({ kind: event.kind });
  }

  @OnEvent(RETENTION_PURGED)
  onPurged(event: RetentionPurgedEvent): void {
    this.metrics.retentionDeleted.inc({ what: event.what }, event.count);
  }

  @OnEvent(WEBHOOK_ATTEMPTED)
  onWebhookAttempted(event: WebhookAttemptedEvent): void {
    this.metrics.webhookAttemptLatency.observe({ type: event.type, outcome: event.outcome }, event.seconds);
  }

  @OnEvent(WEBHOOK_SETTLED)
  onWebhookSettled(event: WebhookSettledEvent): void {
    this.metrics.webhookDeliveries.inc({ type: event.type, outcome: event.outcome });
  }

  @OnEvent(WEBHOOK_BACKLOG)
  onWebhookBacklog(event: WebhookBacklogEvent): void {
    this.metrics.webhookOldestPending.set(event.oldestPendingSeconds);
  }
}
