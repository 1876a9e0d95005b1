import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Environment } from '../config/environment.js';
import { DatabaseService } from '../database/database.service.js';
import { MAIL_QUEUE } from '../queue/jobs.js';
import { OutboxRelayBase } from '../queue/outbox-relay.js';
import { OutboxRepository } from './outbox.repository.js';

/**
 * Moves outbox emails to the mail queue (see OutboxRelayBase): one job per email, named after
 * its kind. Send failures are recorded in `failed_at` and wait for an admin; the sweep leaves them.
 */
@Injectable()
export class OutboxRelay extends OutboxRelayBase {
  constructor(@InjectQueue(MAIL_QUEUE) queue: Queue, db: DatabaseService, outbox: OutboxRepository, env: Environment) {
    super(queue, db, outbox, env.OUTBOX_REQUEUE_AFTER_SECONDS, OutboxRelay.name);
  }
}
