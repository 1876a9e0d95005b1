import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module.js';
import { BacklogService } from './backlog.service.js';

/** Read-only view of the mail backlog (queue and outbox) for health and metrics. */
@Module({
  imports: [MailModule],
  providers: [BacklogService],
  exports: [BacklogService],
})
export class BacklogModule {}
