import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module.js';
import { UsersModule } from '../users/users.module.js';
import { SesFeedbackModule } from '../ses-feedback/ses-feedback.module.js';
import { AdminPageController } from './admin-page.controller.js';
import { AdminSuppressionsPageController } from './admin-suppressions-page.controller.js';
import { ConfirmPageController } from './confirm-page.controller.js';
import { CsrfService } from './csrf.service.js';
import { PagesController } from './pages.controller.js';

/** HTML pages (Handlebars views). Controllers only translate between forms and services. */
@Module({
  imports: [UsersModule, MailModule, SesFeedbackModule],
  controllers: [PagesController, ConfirmPageController, AdminPageController, AdminSuppressionsPageController],
  providers: [CsrfService],
})
export class WebModule {}
