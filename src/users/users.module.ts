import { Module } from '@nestjs/common';
import { PasswordsModule } from '../passwords/passwords.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { ConfirmationsService } from './confirmations.service.js';
import { UsersCoreModule } from './users-core.module.js';
import { UsersRepository } from './users.repository.js';

/**
 * Users for the web process: UsersCoreModule plus confirmation, which sets the password; the HTTP
 * side is UsersApiModule. The worker imports UsersCoreModule alone.
 */
@Module({
  imports: [UsersCoreModule, TokensModule, PasswordsModule],
  providers: [ConfirmationsService, UsersRepository],
  exports: [UsersCoreModule, ConfirmationsService],
})
export class UsersModule {}
