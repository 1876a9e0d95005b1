import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class UserIdParam {
  @ApiProperty({ description: 'User id', format: 'uuid', example: '019abf3c-5b7e-7c41-9a0e-3f1d2c4b5a69' })
  @IsUUID('all', { message: 'id must be a user id (a UUID)' })
  id!: string;
}
