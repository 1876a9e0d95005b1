import { Module } from '@nestjs/common';
import { TokensModule } from '../tokens/tokens.module.js';
import { UsersModule } from '../users/users.module.js';
import { RetentionService } from './retention.service.js';

/** Worker only: the retention sweep over users, tokens, emails and webhook deliveries. */
@Module({
  imports: [UsersModule, TokensModule],
  providers: [RetentionService],
})
export class RetentionModule {}
