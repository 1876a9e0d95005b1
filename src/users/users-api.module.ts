import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { AdminUsersController } from './admin-users.controller.js';
import { ConfirmationsController } from './confirmations.controller.js';
import { UsersController } from './users.controller.js';
import { UsersModule } from './users.module.js';
import { SignupGuardModule } from '../signup-guard/signup-guard.module.js';
import { UsersService } from './users.service.js';

/** The REST API under /api (web process only; the worker imports UsersCoreModule). */
@Module({
  imports: [UsersModule, SignupGuardModule],
  controllers: [UsersController, ConfirmationsController, AdminUsersController],
})
export class UsersApiModule implements OnApplicationBootstrap {
  constructor(private readonly users: UsersService) {}

  /** A sign-up statement that does not fit the schema stops the web before it listens (every subscriber is known by now). */
  onApplicationBootstrap(): Promise<void> {
    return this.users.checkSignUp();
  }
}
