import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One email to send, written in the same transaction as the change that calls for it.
 * The relay moves unenqueued rows to BullMQ; the processor records `sentAt`.
 */
@Entity('mail_outbox')
export class OutboxMessage {
  /** A UUIDv7: unique across databases, so it can name the row's job for ever (see outboxJobId). */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The name of a registered email kind (mail/email-kinds.ts). */
  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 254 })
  recipient!: string;

  /** The kind's payload: ids and addresses, never a secret. */
  @Column({ type: 'jsonb', default: {} })
  payload!: object;

  /** To an address never seen before (a new sign-up): counted and held back by the new-address breaker. */
  @Column({ name: 'first_contact', default: false })
  firstContact!: boolean;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true })
  enqueuedAt!: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** Bumped by a manual retry or the sweep, so the retry gets a job id of its own. */
  @Column({ type: 'integer', default: 0 })
  generation!: number;
}
