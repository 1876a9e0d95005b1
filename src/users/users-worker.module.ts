import { Module } from '@nestjs/common';
import { ConfirmationReminders } from './confirmation-reminders.service.js';
import { UsersModule } from './users.module.js';
import { UsersRepository } from './users.repository.js';

/** What Users runs in the worker process only: the confirmation reminders. */
@Module({
  imports: [UsersModule],
  providers: [ConfirmationReminders, UsersRepository],
})
export class UsersWorkerModule {}
