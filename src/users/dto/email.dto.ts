import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmailAddress } from '../../common/validation/is-email-address.decorator.js';
import { EMAIL_MAX_LENGTH, trimEmail } from '../../common/validation/email-address.js';

export class EmailDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: EMAIL_MAX_LENGTH, description: 'ASCII address; case is ignored' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? trimEmail(value) : value))
  @IsEmailAddress()
  email!: string;
}
