import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { LOCALES } from '../../i18n/locales.js';
import { EmailDto } from './email.dto.js';

export class RegisterDto extends EmailDto {
  @ApiPropertyOptional({
    enum: LOCALES,
    example: 'de',
    description:
      "The language of the user's emails (one of SUPPORTED_LOCALES, else 400 unsupported_locale); without it, the best match of Accept-Language, else the first of SUPPORTED_LOCALES",
  })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  locale?: string;
}
