import { Module } from '@nestjs/common';
import { ConfirmationReminders } from './confirmation-reminders.service.js';
import { UsersCoreModule } from './users-core.module.js';
import { UsersRepository } from './users.repository.js';

/** What Users runs in the worker process only: the confirmation reminders. */
@Module({
  imports: [UsersCoreModule],
  providers: [ConfirmationReminders, UsersRepository],
})
export class UsersWorkerModule {}
