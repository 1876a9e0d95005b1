import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule } from '../mail/mail.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { AdminUsersController } from './admin-users.controller.js';
import { ConfirmationEmailListener } from './confirmation-email.listener.js';
import { ConfirmationsController } from './confirmations.controller.js';
import { ConfirmationsService } from './confirmations.service.js';
import { User } from './user.entity.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User]), MailModule, TokensModule],
  controllers: [UsersController, ConfirmationsController, AdminUsersController],
  providers: [UsersService, ConfirmationsService, ConfirmationEmailListener],
  exports: [UsersService, ConfirmationsService],
})
export class UsersModule {}
