import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { MAIL_QUEUE } from '../queue/jobs.js';
import { KEEP_FINISHED_JOBS } from '../queue/queue.module.js';
import type { AnyEmailKind } from './email-kind.js';
import { EMAIL_KINDS, EmailKindRegistry } from './email-kinds.js';
import { EmailReactions } from './email-reactions.service.js';
import { MailBacklogService } from './mail-backlog.service.js';
import { MailService } from './mail.service.js';
import { NewAddressBreaker } from './new-address-breaker.service.js';
import { OutboxRelay } from './outbox-relay.service.js';
import { OutboxRepository } from './outbox.repository.js';
import { SendingPauseService } from './sending-pause.service.js';
import { SendingStateRepository } from './sending-state.repository.js';
import { SuppressionsRepository } from './suppressions.repository.js';
import { SuppressionsService } from './suppressions.service.js';

const exported = [MailService, EmailKindRegistry, SendingPauseService, MailBacklogService, NewAddressBreaker, SuppressionsService];

/**
 * The recording side of Mail, for both processes: the registry of kinds (given by the entry
 * point), their subscriptions to facts, the outbox, its relay and the queue, the suppression list
 * and the sending pauses. Global: one instance per process, whoever needs it.
 */
@Module({})
export class MailModule {
  static forRoot(kinds: readonly AnyEmailKind[]): DynamicModule {
    return {
      module: MailModule,
      global: true,
      imports: [
        BullModule.registerQueueAsync({
          name: MAIL_QUEUE,
          inject: [Environment],
          useFactory: (env: Environment) => ({
            defaultJobOptions: {
              ...KEEP_FINISHED_JOBS,
              attempts: env.SEND_ATTEMPTS,
              backoff: { type: 'exponential', delay: env.SEND_BACKOFF_MS, jitter: 0.5 },
            },
          }),
        }),
      ],
      providers: [
        { provide: EMAIL_KINDS, useValue: kinds },
        ...exported,
        EmailReactions,
        OutboxRelay,
        OutboxRepository,
        SendingStateRepository,
        SuppressionsRepository,
      ],
      exports: [...exported, BullModule],
    };
  }
}
