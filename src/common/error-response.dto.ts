import { ApiProperty } from '@nestjs/swagger';

/** The shape of every JSON error. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({
    example: 'invalid_input',
    description:
      "Stable and machine-readable: a module's own code (e.g. sign_in_failed, expired_token, weak_password, unsupported_locale), or one per kind of refusal: invalid_input, invalid_json, unsupported_media_type, body_too_large, unauthorized, forbidden, not_found, too_many_requests",
  })
  code!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['email must be an address like name@example.com'],
  })
  message!: string | string[];
}
