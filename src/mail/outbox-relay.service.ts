import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { Environment } from '../config/environment.js';
import { MAIL_QUEUE, type MailJobData } from '../queue/jobs.js';
import { OutboxRelayBase } from '../queue/outbox-relay.js';

/**
 * Moves mail_outbox rows to the mail queue (see OutboxRelayBase): one job per email, named after
 * its kind. Send failures are recorded in `failed_at` and wait for an admin; the sweep leaves them.
 */
@Injectable()
export class OutboxRelay extends OutboxRelayBase {
  constructor(@InjectQueue(MAIL_QUEUE) queue: Queue, @InjectDataSource() dataSource: DataSource, env: Environment) {
    super(
      queue,
      dataSource,
      {
        table: 'mail_outbox',
        noun: 'email(s)',
        columns: ['kind', 'request_id'],
        unsettled: 'sent_at IS NULL AND failed_at IS NULL',
        job: (row) => ({
          name: row.kind as string,
          data: { outboxId: row.id, requestId: (row.request_id as string | null) ?? undefined } satisfies MailJobData,
        }),
      },
      env.OUTBOX_REQUEUE_AFTER_SECONDS,
      OutboxRelay.name,
    );
  }
}
