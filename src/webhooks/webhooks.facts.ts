import { Fact } from '../database/fact.js';

/** What one delivery attempt ended in: `retry` covers network errors, timeouts, 429 and 5xx; `disabled` a 410. */
export type AttemptOutcome = 'sent' | 'retry' | 'failed' | 'disabled';

/** One HTTP attempt to an endpoint (observed by the worker). */
export class WebhookAttempted extends Fact<{ type: string; outcome: AttemptOutcome; seconds: number }> {}

/** A delivery reached its end: sent, or given up (observed). */
export class WebhookSettled extends Fact<{ type: string; outcome: 'sent' | 'failed' }> {}

/** Read every few seconds: how long the oldest pending delivery has waited, 0 when none (observed). */
export class WebhookBacklogMeasured extends Fact<{ oldestPendingSeconds: number }> {}

export const WEBHOOKS_FACTS = [WebhookAttempted, WebhookSettled, WebhookBacklogMeasured];
