import { Module } from '@nestjs/common';
import { AdminUsersController } from './admin-users.controller.js';
import { ConfirmationsController } from './confirmations.controller.js';
import { UsersController } from './users.controller.js';
import { UsersModule } from './users.module.js';

/** The REST API under /api (web process only; the worker imports UsersModule alone). */
@Module({
  imports: [UsersModule],
  controllers: [UsersController, ConfirmationsController, AdminUsersController],
})
export class UsersApiModule {}
