import { Fact } from '../database/fact.js';

export type RetainedData = 'never-confirmed-users' | 'tokens' | 'emails' | 'webhook-deliveries';

/** A batch of old rows the retention sweep deleted (observed, for metrics). */
export class RetentionPurged extends Fact<{ what: RetainedData; count: number }> {}

export const RETENTION_FACTS = [RetentionPurged];
