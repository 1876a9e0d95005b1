import { Module } from '@nestjs/common';
import { FailedEmailsController } from './failed-emails.controller.js';
import { MailModule } from './mail.module.js';

/** Admin REST for failed emails (web process only). */
@Module({
  imports: [MailModule],
  controllers: [FailedEmailsController],
})
export class MailApiModule {}
