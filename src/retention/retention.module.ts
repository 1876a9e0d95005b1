import { Module } from '@nestjs/common';
import { TokensModule } from '../tokens/tokens.module.js';
import { UsersCoreModule } from '../users/users-core.module.js';
import { RetentionService } from './retention.service.js';

/** Worker only: the retention sweep over users, tokens, emails and webhook deliveries. */
@Module({
  imports: [UsersCoreModule, TokensModule],
  providers: [RetentionService],
})
export class RetentionModule {}
