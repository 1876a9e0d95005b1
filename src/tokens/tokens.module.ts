import { Module } from '@nestjs/common';
import { TokensRepository } from './tokens.repository.js';
import { TokensService } from './tokens.service.js';

/** Link secrets by purpose: issued by the worker as an email goes out, checked when the link is used. */
@Module({
  providers: [TokensService, TokensRepository],
  exports: [TokensService],
})
export class TokensModule {}
