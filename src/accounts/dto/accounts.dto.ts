import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { EMAIL_MAX_LENGTH, trimEmail } from '../../common/validation/email-address.js';
import { IsEmailAddress } from '../../common/validation/is-email-address.decorator.js';
import { LOCALES, type Locale } from '../../i18n/locales.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? trimEmail(value) : value);
const PASSWORD_INPUT_MAX = 1024;

export class SignInDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: EMAIL_MAX_LENGTH })
  @Transform(trim)
  @IsEmailAddress()
  email!: string;

  @ApiPropertyOptional({
    description: 'The password; or give `code`',
    maxLength: PASSWORD_INPUT_MAX,
    example: 'correct horse battery staple',
  })
  @ValidateIf((dto: SignInDto) => dto.code === undefined)
  @IsString({ message: 'give a password or a code' })
  @MaxLength(PASSWORD_INPUT_MAX)
  password?: string;

  @ApiPropertyOptional({
    description: 'An emailed one-time sign-in code (8 characters, case ignored); or give `password`',
    example: 'K7MP3RQX',
  })
  @ValidateIf((dto: SignInDto) => dto.password === undefined)
  @IsString({ message: 'give a password or a code' })
  @MaxLength(32)
  code?: string;
}

export class SessionCreatedDto {
  @ApiProperty({ description: 'The session token: send it as `Authorization: Bearer <token>`. Shown once.' })
  token!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'The absolute end (SESSION_MAX_SECONDS); idle expiry may come sooner' })
  expiresAt!: Date;
}

export class ProfileDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() confirmed!: boolean;
  @ApiProperty() hasPassword!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ enum: LOCALES, description: "The language of the account's pages and emails (one of SUPPORTED_LOCALES)" })
  locale!: Locale;
}

export class UpdateMeDto {
  @ApiProperty({
    enum: LOCALES,
    example: 'de',
    description: 'One of SUPPORTED_LOCALES; every later email is in it (else 400 unsupported_locale)',
  })
  @IsString()
  @MaxLength(35)
  locale!: string;
}

export class SessionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) lastSeenAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: Date;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ description: 'The session of this request' }) current!: boolean;
}

export class ChangePasswordDto {
  @ApiPropertyOptional({
    description: 'Required when the account has a password',
    maxLength: PASSWORD_INPUT_MAX,
    example: 'correct horse battery staple',
  })
  @IsOptional()
  @IsString()
  @MaxLength(PASSWORD_INPUT_MAX)
  currentPassword?: string;

  @ApiPropertyOptional({
    description: 'A fresh sign-in code (POST /api/sign-in-codes): required to set the first password of an account without one',
    example: 'K7PX2M9Q',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  code?: string;

  @ApiProperty({
    description: 'The new password (see the password policy)',
    maxLength: PASSWORD_INPUT_MAX,
    example: 'a new passphrase of my own',
  })
  @IsString()
  @MaxLength(PASSWORD_INPUT_MAX)
  newPassword!: string;
}

/** The password, or a fresh sign-in code (for accounts without a password). */
export class ProofDto {
  @ApiPropertyOptional({ maxLength: PASSWORD_INPUT_MAX, example: 'correct horse battery staple' })
  @IsOptional()
  @IsString()
  @MaxLength(PASSWORD_INPUT_MAX)
  password?: string;

  @ApiPropertyOptional({ description: 'A fresh sign-in code (POST /api/sign-in-codes)', example: 'K7PX2M9Q' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  code?: string;
}

export class EmailChangeRequestDto extends ProofDto {
  @ApiProperty({ example: 'ada.new@example.com', maxLength: EMAIL_MAX_LENGTH, description: 'The new address' })
  @Transform(trim)
  @IsEmailAddress()
  email!: string;
}

export class LinkTokenDto {
  @ApiProperty({
    description: 'The token from the emailed link (43 URL-safe characters)',
    example: 'Zp4vQmN8rT2wX6yB1cD5eF9gH3jK7lM0nP4qR8sT2uV',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token must be the 43-character code from the emailed link' })
  token!: string;
}

export class CompletePasswordResetDto extends LinkTokenDto {
  @ApiProperty({
    description: 'The new password (see the password policy)',
    maxLength: PASSWORD_INPUT_MAX,
    example: 'a new passphrase of my own',
  })
  @IsString()
  @MaxLength(PASSWORD_INPUT_MAX)
  password!: string;
}

export class EmailResultDto {
  @ApiProperty({ example: 'ada.new@example.com' })
  email!: string;
}
