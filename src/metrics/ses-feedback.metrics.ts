import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { AfterCommit } from '../database/on-fact.decorator.js';
import { AddressSuppressed, SesFeedbackDropped, SesFeedbackReceived } from '../ses-feedback/ses-feedback.facts.js';
import { ReputationGuard } from '../ses-feedback/reputation-guard.service.js';
import { MetricsService } from './metrics.service.js';

/**
 * SES feedback in /metrics: counters from the feedback module's facts (in whichever process
 * received the feedback: the web for SNS over HTTPS, the worker for SQS), and the reputation rates
 * and automatic pause read from PostgreSQL when scraped (the same in every process).
 */
@Injectable()
export class SesFeedbackMetrics {
  private readonly feedback: Counter<'type' | 'subtype'>;
  private readonly suppressions: Counter<'reason'>;
  private readonly dropped: Counter<'reason'>;

  constructor(metrics: MetricsService, guard: ReputationGuard) {
    const registers = [metrics.registry];
    this.feedback = new Counter({
      name: 'signup_ses_feedback_total',
      help: 'SES bounces and complaints received, per recipient, by type and subtype (e.g. Permanent/General)',
      labelNames: ['type', 'subtype'] as const,
      registers,
    });
    this.suppressions = new Counter({
      name: 'signup_email_suppressions_total',
      help: 'Addresses added to the suppression list, by reason',
      labelNames: ['reason'] as const,
      registers,
    });
    this.dropped = new Counter({
      name: 'signup_ses_feedback_dropped_total',
      help: 'SQS feedback messages deleted unhandled because they never can be (e.g. not-json, bad-signature, topic-not-allowed), by reason',
      labelNames: ['reason'] as const,
      registers,
    });
    // Read once per scrape (the guard caches for a second); a store that is away keeps the last value.
    const state = () => guard.state().catch(() => null);
    new Gauge({
      name: 'signup_ses_bounce_rate',
      help: 'Hard bounces per email over the reputation window (SES_REPUTATION_WINDOW most recent sends), 0..1',
      registers,
      async collect() {
        const s = await state();
        if (s) this.set(s.bounceRate);
      },
    });
    new Gauge({
      name: 'signup_ses_complaint_rate',
      help: 'Complaints per email over the reputation window, 0..1',
      registers,
      async collect() {
        const s = await state();
        if (s) this.set(s.complaintRate);
      },
    });
    new Gauge({
      name: 'signup_ses_reputation_sends',
      help: 'Emails sent in the reputation window (the rates mean little under SES_REPUTATION_MIN_SENDS)',
      registers,
      async collect() {
        const s = await state();
        if (s) this.set(s.sends);
      },
    });
    new Gauge({
      name: 'signup_sending_auto_paused',
      help: '1 while sending is paused automatically (SES_AUTO_PAUSE) until an admin resumes',
      registers,
      async collect() {
        const s = await state();
        if (s) this.set(s.autoPaused ? 1 : 0);
      },
    });
  }

  @AfterCommit(SesFeedbackReceived)
  onFeedback(facts: readonly SesFeedbackReceived[]): void {
    for (const { data } of facts) this.feedback.inc({ type: data.kind, subtype: data.subtype });
  }

  @AfterCommit(SesFeedbackDropped)
  onDropped(facts: readonly SesFeedbackDropped[]): void {
    for (const { data } of facts) this.dropped.inc({ reason: data.reason });
  }

  @AfterCommit(AddressSuppressed)
  onSuppressed(facts: readonly AddressSuppressed[]): void {
    for (const { data } of facts) this.suppressions.inc({ reason: data.reason });
  }
}
