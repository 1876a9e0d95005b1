/** Domain events of the Webhooks module, for Metrics: nothing else listens. */
export const WEBHOOK_ATTEMPTED = 'webhooks.attempted';
export const WEBHOOK_SETTLED = 'webhooks.settled';
export const WEBHOOK_BACKLOG = 'webhooks.backlog';

/** What one delivery attempt ended in: `retry` covers network errors, timeouts, 429 and 5xx; `disabled` a 410. */
export type AttemptOutcome = 'sent' | 'retry' | 'failed' | 'disabled';

/** One HTTP attempt to an endpoint (worker). */
export class WebhookAttemptedEvent {
  constructor(
    readonly type: string,
    readonly outcome: AttemptOutcome,
    readonly seconds: number,
  ) {}
}

/** A delivery reached its end: sent, or given up. */
export class WebhookSettledEvent {
  constructor(
    readonly type: string,
    readonly outcome: 'sent' | 'failed',
  ) {}
}

/** Read periodically: how long the oldest pending delivery has waited (0 when none). */
export class WebhookBacklogEvent {
  constructor(readonly oldestPendingSeconds: number) {}
}
