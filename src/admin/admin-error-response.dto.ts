import { ApiProperty } from '@nestjs/swagger';
import { ADMIN_AUTH_ERROR_CODES, type AdminAuthErrorCode } from './admin-auth.errors.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';

/** A refusal of the admin token: the JSON error shape with its code. */
export class AdminErrorResponseDto extends ErrorResponseDto {
  @ApiProperty({
    enum: ADMIN_AUTH_ERROR_CODES,
    example: 'admin_bearer_required',
    description:
      'admin_token_required: no or a wrong token; admin_bearer_required: HTTP Basic sent, which only the HTML admin pages take; ' +
      'admin_disabled: ADMIN_TOKEN is unset; admin_locked_out (429): too many wrong tokens from this client, see Retry-After',
  })
  declare code: AdminAuthErrorCode;
}
