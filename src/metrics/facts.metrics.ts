import { Injectable } from '@nestjs/common';
import { AfterCommit } from '../database/on-fact.decorator.js';
import { EmailAttemptFailed, EmailFailed, EmailHeldBack, EmailSent } from '../mail/mail.facts.js';
import { RetentionPurged } from '../retention/retention.facts.js';
import { UserConfirmed, UserRegistered } from '../users/users.facts.js';
import { WebhookAttempted, WebhookSettled } from '../webhooks/webhooks.facts.js';
import { MetricsService } from './metrics.service.js';

/** "MessageRejected: Email address is not verified" → "MessageRejected": a bounded label, never an address. */
export function reasonLabel(reason: string): string {
  const name = reason.split(':', 1)[0].trim();
  return /^[A-Za-z][A-Za-z0-9_.]{0,63}$/.test(name) ? name : 'other';
}

/** Counts what the modules record, once it committed; no business class knows about metrics. */
@Injectable()
export class FactsMetrics {
  constructor(private readonly metrics: MetricsService) {}

  @AfterCommit(UserRegistered)
  onRegistered(facts: readonly UserRegistered[]): void {
    this.metrics.registrations.inc(facts.length);
  }

  @AfterCommit(UserConfirmed)
  onConfirmed(facts: readonly UserConfirmed[]): void {
    this.metrics.confirmations.inc(facts.length);
  }

  @AfterCommit(EmailSent)
  onSent(facts: readonly EmailSent[]): void {
    for (const { data } of facts) {
      this.metrics.emailsSent.inc({ kind: data.kind });
      const seconds = (data.sentAt.getTime() - data.requestedAt.getTime()) / 1000;
      this.metrics.sendLatency.observe({ kind: data.kind }, Math.max(0, seconds));
    }
  }

  @AfterCommit(EmailFailed)
  onFailed(facts: readonly EmailFailed[]): void {
    for (const { data } of facts) this.metrics.emailsFailed.inc({ kind: data.kind, reason: reasonLabel(data.reason) });
  }

  @AfterCommit(EmailAttemptFailed)
  onAttemptFailed(facts: readonly EmailAttemptFailed[]): void {
    for (const { data } of facts) this.metrics.sendErrors.inc({ kind: data.kind, reason: reasonLabel(data.reason) });
  }

  @AfterCommit(EmailHeldBack)
  onHeldBack(facts: readonly EmailHeldBack[]): void {
    for (const { data } of facts) this.metrics.heldBack.inc({ kind: data.kind });
  }

  @AfterCommit(RetentionPurged)
  onPurged(facts: readonly RetentionPurged[]): void {
    for (const { data } of facts) this.metrics.retentionDeleted.inc({ what: data.what }, data.count);
  }

  @AfterCommit(WebhookAttempted)
  onWebhookAttempted(facts: readonly WebhookAttempted[]): void {
    for (const { data } of facts) this.metrics.webhookAttemptLatency.observe({ type: data.type, outcome: data.outcome }, data.seconds);
  }

  @AfterCommit(WebhookSettled)
  onWebhookSettled(facts: readonly WebhookSettled[]): void {
    for (const { data } of facts) this.metrics.webhookDeliveries.inc({ type: data.type, outcome: data.outcome });
  }
}
