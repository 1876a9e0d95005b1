import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  CONFIRMATION_EMAIL_ATTEMPT_FAILED,
  CONFIRMATION_EMAIL_FAILED,
  CONFIRMATION_EMAIL_SENT,
  ConfirmationEmailAttemptFailedEvent,
  ConfirmationEmailFailedEvent,
  ConfirmationEmailSentEvent,
} from '../mail/events/confirmation-email.events.js';
import { USER_CONFIRMED, USER_REGISTERED } from '../users/events/user.events.js';
import { MetricsService } from './metrics.service.js';

const KIND = 'confirmation';

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

  @OnEvent(CONFIRMATION_EMAIL_SENT)
  onSent(event: ConfirmationEmailSentEvent): void {
    this.metrics.emailsSent.inc({ kind: KIND });
    if (event.requestedAt) {
      const seconds = (event.sentAt.getTime() - event.requestedAt.getTime()) / 1000;
      this.metrics.sendLatency.observe({ kind: KIND }, Math.max(0, seconds));
    }
  }

  @OnEvent(CONFIRMATION_EMAIL_FAILED)
  onFailed(event: ConfirmationEmailFailedEvent): void {
    this.metrics.emailsFailed.inc({ kind: KIND, reason: reasonLabel(event.reason) });
  }

  @OnEvent(CONFIRMATION_EMAIL_ATTEMPT_FAILED)
  onAttemptFailed(event: ConfirmationEmailAttemptFailedEvent): void {
    this.metrics.sendErrors.inc({ kind: KIND, reason: reasonLabel(event.reason) });
  }
}
