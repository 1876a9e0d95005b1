import { ObservedFact } from '../database/fact.js';

/** What one delivery attempt ended in: `retry` covers network errors, timeouts, 429 and 5xx; `disabled` a 410. */
export type AttemptOutcome = 'sent' | 'retry' | 'failed' | 'disabled';

/** One HTTP attempt to an endpoint (worker). */
export class WebhookAttempted extends ObservedFact<{ type: string; outcome: AttemptOutcome; seconds: number }> {}

/** A delivery reached its end: sent, or given up. */
export class WebhookSettled extends ObservedFact<{ type: string; outcome: 'sent' | 'failed' }> {}

export const WEBHOOKS_FACTS = [WebhookAttempted, WebhookSettled];
