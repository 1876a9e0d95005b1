import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class OutboxIdParam {
  @ApiProperty({ description: 'Outbox id', example: '42' })
  @Matches(/^[1-9]\d{0,17}$/, { message: 'id must be a positive whole number' })
  id!: string;
}
