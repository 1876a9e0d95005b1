import { Module } from '@nestjs/common';
import { BackgroundWork } from '../common/background-work.service.js';
import { EmailStateSubscriber } from './email-state.subscriber.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

/**
 * Users' state for both processes: sign-up, the users table, the email state each sent or failed
 * email leaves. No passwords: the worker imports this, and must not load argon2 or the breached-
 * password list (docs/memory.md); confirmation, which sets a password, is UsersModule's (web).
 */
@Module({
  providers: [UsersService, UsersRepository, EmailStateSubscriber, BackgroundWork],
  exports: [UsersService],
})
export class UsersCoreModule {}
