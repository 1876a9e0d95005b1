import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class ConfirmDto {
  @ApiProperty({
    description: 'The token from the emailed link (43 URL-safe characters)',
    example: 'Zp4vQmN8rT2wX6yB1cD5eF9gH3jK7lM0nP4qR8sT2uV',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token must be the 43-character code from the confirmation link' })
  token!: string;

  @ApiPropertyOptional({
    description:
      'Optional: the password to set with the confirmation (see the password policy). Refused (400) when weak; the token then stays usable. Ignored when the address was already confirmed.',
    maxLength: 1024,
    example: 'correct horse battery staple',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;
}

export class ConfirmationResultDto {
  @ApiProperty({ enum: ['confirmed', 'already_confirmed'] })
  status!: 'confirmed' | 'already_confirmed';

  @ApiProperty({ example: 'ada@example.com' })
  email!: string;
}
