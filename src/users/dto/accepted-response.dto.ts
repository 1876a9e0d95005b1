import { ApiProperty } from '@nestjs/swagger';

export class AcceptedResponseDto {
  @ApiProperty({ example: 'Thank you for registering. Please check your inbox for a confirmation link.' })
  message!: string;
}
