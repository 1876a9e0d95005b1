import { Module } from '@nestjs/common';
import { PasswordsRepository } from './passwords.repository.js';
import { PasswordsService } from './passwords.service.js';

/** Passwords alone (policy, hashes): what Users needs to set one at confirmation, and Accounts for the rest. */
@Module({
  providers: [PasswordsService, PasswordsRepository],
  exports: [PasswordsService],
})
export class PasswordsModule {}
