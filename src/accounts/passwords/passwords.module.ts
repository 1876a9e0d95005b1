import { Module } from '@nestjs/common';
import { PasswordsService } from './passwords.service.js';

/** Passwords alone (policy, hashes): what Users needs to set one at confirmation, without the rest of Accounts. */
@Module({
  providers: [PasswordsService],
  exports: [PasswordsService],
})
export class PasswordsModule {}
