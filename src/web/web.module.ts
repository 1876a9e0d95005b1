import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { SignupGuardModule } from '../signup-guard/signup-guard.module.js';
import { AdminWebhooksPageController } from './admin-webhooks-page.controller.js';
import { AccountsModule } from '../accounts/accounts.module.js';
import { AccountLinksPageController } from './account-links-page.controller.js';
import { AccountPageController } from './account-page.controller.js';
import { AdminPageController } from './admin-page.controller.js';
import { AdminOverviewPageController } from './admin-overview-page.controller.js';
import { OverviewModule } from '../overview/overview.module.js';
import { SignInPageController } from './sign-in-page.controller.js';
import { SesFeedbackModule } from '../ses-feedback/ses-feedback.module.js';
import { AdminSuppressionsPageController } from './admin-suppressions-page.controller.js';
import { ConfirmPageController } from './confirm-page.controller.js';
import { CsrfService } from './csrf.service.js';
import { PagesController } from './pages.controller.js';
import { PageSessions } from './page-sessions.service.js';

/** HTML pages (Handlebars views). Controllers only translate between forms and services. */
@Module({
  imports: [UsersModule, AccountsModule, SesFeedbackModule, OverviewModule, SignupGuardModule],
  controllers: [
    PagesController,
    ConfirmPageController,
    AdminOverviewPageController,
    AdminPageController,
    AdminWebhooksPageController,
    AdminSuppressionsPageController,
    SignInPageController,
    AccountPageController,
    AccountLinksPageController,
  ],
  providers: [CsrfService, PageSessions],
})
export class WebModule {}
