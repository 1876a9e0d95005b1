/** Emitted after each batch of old rows the retention sweep deleted. */
export const RETENTION_PURGED = 'retention.purged';

export type RetainedData = 'never-confirmed-users' | 'tokens' | 'emails' | 'webhook-deliveries';

export class RetentionPurgedEvent {
  constructor(
    readonly what: RetainedData,
    readonly count: number,
  ) {}
}
