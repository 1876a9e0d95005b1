import { ObservedFact } from '../database/fact.js';

export type RetainedData = 'never-confirmed-users' | 'tokens' | 'emails' | 'webhook-deliveries';

/** A batch of old rows the retention sweep deleted, for metrics. */
export class RetentionPurged extends ObservedFact<{ what: RetainedData; count: number }> {}

export const RETENTION_FACTS = [RetentionPurged];
