import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfirmationToken } from './confirmation-token.entity.js';
import { TokensService } from './tokens.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ConfirmationToken])],
  providers: [TokensService],
  exports: [TokensService],
})
export class TokensModule {}
