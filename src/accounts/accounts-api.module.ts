import { Module } from '@nestjs/common';
import { AccountsModule } from './accounts.module.js';
import { SignupGuardModule } from '../signup-guard/signup-guard.module.js';
import { EmailChangesController } from './email-changes.controller.js';
import { MeController } from './me.controller.js';
import { PasswordResetsController } from './password-resets.controller.js';
import { SessionsController } from './sessions.controller.js';

/** The accounts REST API under /api (web process only). */
@Module({
  imports: [AccountsModule, SignupGuardModule],
  controllers: [SessionsController, MeController, PasswordResetsController, EmailChangesController],
})
export class AccountsApiModule {}
