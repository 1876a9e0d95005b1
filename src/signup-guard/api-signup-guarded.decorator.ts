import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto.js';

/** The refusals of a request the sign-up guard checks, in the OpenAPI document. */
export const ApiSignupGuarded = () =>
  applyDecorators(
    ApiBadRequestResponse({
      type: ErrorResponseDto,
      description:
        'invalid_input; challenge_failed (SIGNUP_CHALLENGE on: the `altcha` or `captcha` answer is missing, malformed, expired, wrongly signed, wrong or already used); disposable_domain; blocked_domain; domain_cannot_receive_mail (MX_CHECK=on). The same for every address.',
    }),
    ApiServiceUnavailableResponse({
      type: ErrorResponseDto,
      description: 'Database briefly unreachable, or challenge_unavailable (Turnstile/hCaptcha did not answer); retry after Retry-After',
    }),
  );
