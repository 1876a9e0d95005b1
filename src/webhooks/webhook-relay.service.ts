import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Environment } from '../config/environment.js';
import { DatabaseService } from '../database/database.service.js';
import { WEBHOOKS_QUEUE } from '../queue/jobs.js';
import { OutboxRelayBase } from '../queue/outbox-relay.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';

/** Moves pending deliveries to the webhooks queue (see OutboxRelayBase), except those held while their endpoint is disabled. */
@Injectable()
export class WebhookRelay extends OutboxRelayBase {
  constructor(@InjectQueue(WEBHOOKS_QUEUE) queue: Queue, db: DatabaseService, deliveries: WebhookDeliveriesRepository, env: Environment) {
    super(queue, db, deliveries, env.OUTBOX_REQUEUE_AFTER_SECONDS, WebhookRelay.name);
  }
}
