import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { emailRefusal, trimEmail } from '../../common/validation/email-address.js';
import { QUICK_ACCEPT } from '../../common/validation/app-validation.pipe.js';
import { LOCALES } from '../../i18n/locales.js';
import { EmailDto } from './email.dto.js';

const LOCALE_MAX_LENGTH = 35;
const FIELDS: ReadonlySet<string> = new Set(['email', 'locale', 'altcha', 'captcha']);

export class RegisterDto extends EmailDto {
  @ApiPropertyOptional({
    enum: LOCALES,
    example: 'de',
    description:
      "The language of the user's emails (one of SUPPORTED_LOCALES, else 400 unsupported_locale); without it, the best match of Accept-Language, else the first of SUPPORTED_LOCALES",
  })
  @IsOptional()
  @IsString()
  @MaxLength(LOCALE_MAX_LENGTH)
  locale?: string;

  /** Every sign-up's body: a plain object of these fields only, an acceptable address, a locale short enough. */
  static [QUICK_ACCEPT](body: unknown): RegisterDto | undefined {
    if (typeof body !== 'object' || body === null || Object.getPrototypeOf(body) !== Object.prototype) return undefined;
    if (!Object.keys(body).every((key) => FIELDS.has(key))) return undefined;
    // The challenge's answers may be anything here, as for the full pass: the SignupGuard judges them.
    const { email, locale } = body as Record<string, unknown>;
    if (typeof email !== 'string') return undefined;
    // Length in UTF-16 units: never shorter than MaxLength's count, so nothing too long gets through.
    if (locale !== undefined && (typeof locale !== 'string' || locale.length > LOCALE_MAX_LENGTH)) return undefined;
    const trimmed = trimEmail(email);
    if (emailRefusal(trimmed) !== null) return undefined;
    return Object.assign(new RegisterDto(), body, { email: trimmed });
  }
}
