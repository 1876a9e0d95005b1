import { Module, type OnModuleInit } from '@nestjs/common';
import { AdminUsersController } from './admin-users.controller.js';
import { ConfirmationsController } from './confirmations.controller.js';
import { UsersController } from './users.controller.js';
import { UsersModule } from './users.module.js';
import { UsersService } from './users.service.js';

/** The REST API under /api (web process only; the worker imports UsersModule alone). */
@Module({
  imports: [UsersModule],
  controllers: [UsersController, ConfirmationsController, AdminUsersController],
})
export class UsersApiModule implements OnModuleInit {
  constructor(private readonly users: UsersService) {}

  /** A sign-up statement that does not fit the schema stops the web before it listens. */
  onModuleInit(): Promise<void> {
    return this.users.checkSignUp();
  }
}
