import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { UsersModule } from '../users/users.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { AccountService } from './account.service.js';
import { EmailChangeService } from './email-change.service.js';
import { PasswordResetService } from './password-reset.service.js';
import { PasswordsModule } from './passwords/passwords.module.js';
import { ProofsService } from './proofs.service.js';
import { SessionGuard } from './sessions/session.guard.js';
import { SessionsService } from './sessions/sessions.service.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { SignInService } from './sign-in.service.js';

/** Accounts on a confirmed address: sign-in, sessions, password reset and change, email change, deletion (web process). */
@Module({
  imports: [UsersModule, PasswordsModule, TokensModule, MailModule, WebhooksModule],
  providers: [
    SessionsService,
    SessionGuard,
    SignInThrottle,
    ProofsService,
    SignInService,
    AccountService,
    PasswordResetService,
    EmailChangeService,
  ],
  exports: [SessionsService, SignInService, AccountService, PasswordResetService, EmailChangeService, PasswordsModule],
})
export class AccountsModule {}
