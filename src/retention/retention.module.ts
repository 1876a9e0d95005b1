import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { UsersModule } from '../users/users.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { RetentionService } from './retention.service.js';

/** Worker only: the retention sweep over users, tokens and emails. */
@Module({
  imports: [UsersModule, TokensModule, MailModule, WebhooksModule],
  providers: [RetentionService],
})
export class RetentionModule {}
