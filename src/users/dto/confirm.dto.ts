import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export class ConfirmDto {
  @ApiProperty({ description: 'The token from the emailed link (43 URL-safe characters)', example: 'q1Xb…' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token must be the 43-character code from the confirmation link' })
  token!: string;
}

export class ConfirmationResultDto {
  @ApiProperty({ enum: ['confirmed', 'already_confirmed'] })
  status!: 'confirmed' | 'already_confirmed';

  @ApiProperty({ example: 'ada@example.com' })
  email!: string;
}
