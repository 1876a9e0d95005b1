import { ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { EmailDto } from './email.dto.js';

/**
 * An address, and the answer to the sign-up challenge while one is on (SIGNUP_CHALLENGE). The
 * answers are judged by the SignupGuard (a wrong one is `challenge_failed`, not `invalid_input`).
 */
export class ChallengedEmailDto extends EmailDto {
  @ApiPropertyOptional({
    type: String,
    description:
      'SIGNUP_CHALLENGE=altcha: the base64 payload the `altcha` widget (or altcha-lib) produces for a challenge of GET /api/challenge',
  })
  @Allow()
  altcha?: unknown;

  @ApiPropertyOptional({ type: String, description: 'SIGNUP_CHALLENGE=turnstile or hcaptcha: the token of the widget' })
  @Allow()
  captcha?: unknown;
}
