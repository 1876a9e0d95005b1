import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module.js';
import { UsersModule } from '../users/users.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { AdminWebhooksPageController } from './admin-webhooks-page.controller.js';
import { AdminPageController } from './admin-page.controller.js';
import { ConfirmPageController } from './confirm-page.controller.js';
import { CsrfService } from './csrf.service.js';
import { PagesController } from './pages.controller.js';

/** HTML pages (Handlebars views). Controllers only translate between forms and services. */
@Module({
  imports: [UsersModule, MailModule, WebhooksModule],
  controllers: [PagesController, ConfirmPageController, AdminPageController, AdminWebhooksPageController],
  providers: [CsrfService],
})
export class WebModule {}
