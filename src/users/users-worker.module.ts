import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module.js';
import { ConfirmationReminders } from './confirmation-reminders.service.js';
import { UsersModule } from './users.module.js';

/** What Users runs in the worker process only: the confirmation reminders. */
@Module({
  imports: [UsersModule, MailModule],
  providers: [ConfirmationReminders],
})
export class UsersWorkerModule {}
