import { Module } from '@nestjs/common';
import { FailedEmailsController } from './failed-emails.controller.js';

/** Admin REST for failed emails (web process only). */
@Module({
  controllers: [FailedEmailsController],
})
export class MailApiModule {}
