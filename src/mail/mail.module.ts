import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MAIL_QUEUE } from '../queue/jobs.js';
import { MailBacklogService } from './mail-backlog.service.js';
import { MailService } from './mail.service.js';
import { NewAddressBreaker } from './new-address-breaker.service.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { OutboxRelay } from './outbox-relay.service.js';
import { OutboxRepository } from './outbox.repository.js';
import { SendingPauseService } from './sending-pause.service.js';

/** The sending side of Mail: the outbox, its relay and the queue. Both processes import it. */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage]), BullModule.registerQueue({ name: MAIL_QUEUE })],
  providers: [MailService, OutboxRelay, OutboxRepository, SendingPauseService, MailBacklogService, NewAddressBreaker],
  exports: [MailService, OutboxRepository, SendingPauseService, MailBacklogService, NewAddressBreaker, BullModule],
})
export class MailModule {}
