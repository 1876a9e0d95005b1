import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class EnableEndpointDto {
  @ApiProperty({ description: 'One of the WEBHOOK_URLS entries, exactly as configured', example: 'https://app.example.com/hooks' })
  @IsString()
  @MaxLength(2048)
  url!: string;
}
