import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Allow } from 'class-validator';
import { IsEmailAddress } from '../../common/validation/is-email-address.decorator.js';
import { EMAIL_MAX_LENGTH, trimEmail } from '../../common/validation/email-address.js';

/**
 * An address an anonymous person typed (sign-up, resend, sign-in code, password reset), and the
 * answer to the sign-up challenge while one is on (SIGNUP_CHALLENGE). The answers are judged by the
 * SignupGuard: a wrong one is `challenge_failed`, not `invalid_input`.
 */
export class EmailDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: EMAIL_MAX_LENGTH, description: 'ASCII address; case is ignored' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? trimEmail(value) : value))
  @IsEmailAddress()
  email!: string;

  @ApiPropertyOptional({
    type: String,
    description:
      'SIGNUP_CHALLENGE=altcha: the base64 payload the `altcha` widget (or altcha-lib) produces for a challenge of GET /api/challenge',
    example: 'eyJhbGdvcml0aG0iOiJQQktERjIvU0hBLTI1NiIs…',
  })
  @Allow()
  altcha?: unknown;

  @ApiPropertyOptional({
    type: String,
    description: 'SIGNUP_CHALLENGE=turnstile or hcaptcha: the token of the widget',
    example: '0.zrSnRHO7h0HwSjSCU8oyzbjEtD8p…',
  })
  @Allow()
  captcha?: unknown;
}
