/** One email in the outbox, written in the same transaction as the fact it answers. */
export interface OutboxEmail {
  /** A UUIDv7: unique across databases, so it can name the email's job for ever (see outboxJobId). */
  id: string;
  /** The name of a registered email kind. */
  kind: string;
  userId: string;
  recipient: string;
  /** The kind's payload: ids and addresses, never a secret. */
  payload: object;
  /** To an address never seen before (a new sign-up): counted and held back by the new-address breaker. */
  firstContact: boolean;
  createdAt: Date;
  sentAt: Date | null;
  failedAt: Date | null;
  /** Why it failed for good. */
  error: string | null;
  /** The recipient's language (its user's, now; for a new address in an email change, the requester's). Null when unknown. */
  locale: string | null;
}
