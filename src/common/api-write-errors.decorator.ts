import { applyDecorators } from '@nestjs/common';
import {
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';

/** The answers every rate-limited JSON write can give besides its own. */
export const ApiWriteErrors = () =>
  applyDecorators(
    ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Body over 10 kB' }),
    ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: 'Body not sent as application/json' }),
    ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Over RATE_LIMIT_PER_MINUTE; see Retry-After' }),
    ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'Database briefly unreachable; retry after Retry-After' }),
  );
