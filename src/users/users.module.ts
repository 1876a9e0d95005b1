import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BackgroundWork } from '../common/background-work.service.js';
import { MailModule } from '../mail/mail.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { ConfirmationEmailListener } from './confirmation-email.listener.js';
import { ConfirmationsService } from './confirmations.service.js';
import { PasswordsModule } from '../accounts/passwords/passwords.module.js';
import { User } from './user.entity.js';
import { UserRecords } from './user-records.service.js';
import { UsersService } from './users.service.js';

/** Users' state and rules, for both processes; the HTTP side is UsersApiModule (web only). */
@Module({
  imports: [TypeOrmModule.forFeature([User]), MailModule, TokensModule, WebhooksModule, PasswordsModule],
  providers: [UsersService, ConfirmationsService, ConfirmationEmailListener, BackgroundWork, UserRecords],
  exports: [UsersService, ConfirmationsService, UserRecords, BackgroundWork],
})
export class UsersModule {}
