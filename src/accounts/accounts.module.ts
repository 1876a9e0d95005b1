import { Module } from '@nestjs/common';
import { BackgroundWork } from '../common/background-work.service.js';
import { PasswordsModule } from '../passwords/passwords.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccountService } from './account.service.js';
import { CredentialsPolicy } from './credentials.policy.js';
import { EmailChangeRecipients } from './email-change-recipients.js';
import { EmailChangeService } from './email-change.service.js';
import { PasswordResetService } from './password-reset.service.js';
import { ProofsService } from './proofs.service.js';
import { SessionGuard } from './sessions/session.guard.js';
import { SessionsRepository } from './sessions/sessions.repository.js';
import { SessionsService } from './sessions/sessions.service.js';
import { SignInCodeBudget } from './sign-in-code-budget.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { SignInService } from './sign-in.service.js';

/**
 * Accounts on a confirmed address: sign-in, sessions, password reset and change, email change,
 * deletion, and the credentials policy (web process; the REST API is AccountsApiModule).
 */
@Module({
  imports: [UsersModule, PasswordsModule, TokensModule],
  providers: [
    SessionsService,
    SessionsRepository,
    SessionGuard,
    SignInThrottle,
    SignInCodeBudget,
    ProofsService,
    SignInService,
    AccountService,
    PasswordResetService,
    EmailChangeService,
    EmailChangeRecipients,
    CredentialsPolicy,
    BackgroundWork,
  ],
  exports: [SessionsService, SessionGuard, SignInService, AccountService, PasswordResetService, EmailChangeService, PasswordsModule],
})
export class AccountsModule {}
