import { ApiProperty } from '@nestjs/swagger';

/** The shape of every JSON error. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['email must be an address like name@example.com'],
  })
  message!: string | string[];
}
