import { Module } from '@nestjs/common';
import { BackgroundWork } from '../common/background-work.service.js';
import { PasswordsModule } from '../passwords/passwords.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { ConfirmationsService } from './confirmations.service.js';
import { EmailStateSubscriber } from './email-state.subscriber.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

/** Users' state and rules, for both processes; the HTTP side is UsersApiModule (web only). */
@Module({
  imports: [TokensModule, PasswordsModule],
  providers: [UsersService, UsersRepository, ConfirmationsService, EmailStateSubscriber, BackgroundWork],
  exports: [UsersService, ConfirmationsService],
})
export class UsersModule {}
