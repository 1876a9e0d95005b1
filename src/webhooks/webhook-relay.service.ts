import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { Environment } from '../config/environment.js';
import { WEBHOOKS_QUEUE, type WebhookJobData } from '../queue/jobs.js';
import { OutboxRelayBase } from '../queue/outbox-relay.js';

// The processor decides when a delivery is given up (WEBHOOK_RETRY_SCHEDULE); BullMQ only waits the
// delay the processor chose. This bound only stops a job that somehow never settles.
const JOB_ATTEMPTS = 100;

/**
 * Moves pending deliveries to the webhooks queue (see OutboxRelayBase), except those of a disabled
 * endpoint: they stay here, held, until an admin re-enables it.
 */
@Injectable()
export class WebhookRelay extends OutboxRelayBase {
  constructor(@InjectQueue(WEBHOOKS_QUEUE) queue: Queue, @InjectDataSource() dataSource: DataSource, env: Environment) {
    super(
      queue,
      dataSource,
      {
        table: 'webhook_deliveries',
        noun: 'webhook delivery(ies)',
        columns: ['type'],
        ready: `status = 'pending' AND NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.url = o.endpoint AND e.disabled_at IS NOT NULL)`,
        unsettled: `status = 'pending'`,
        job: (row) => ({
          name: row.type as string,
          data: { deliveryId: row.id, generation: row.generation } satisfies WebhookJobData,
          opts: { attempts: JOB_ATTEMPTS, backoff: { type: 'webhook' } },
        }),
      },
      env.OUTBOX_REQUEUE_AFTER_SECONDS,
      WebhookRelay.name,
    );
  }
}
