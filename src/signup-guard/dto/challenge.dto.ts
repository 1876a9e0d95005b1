import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ChallengeParametersDto {
  @ApiProperty({ example: 'PBKDF2/SHA-256' }) algorithm!: string;
  @ApiProperty({ description: 'hex' }) nonce!: string;
  @ApiProperty({ description: 'hex' }) salt!: string;
  @ApiProperty({ description: 'PBKDF2 iterations per attempt (SIGNUP_CHALLENGE_COST)' }) cost!: number;
  @ApiProperty({ example: 32 }) keyLength!: number;
  @ApiProperty({ description: 'hex prefix the derived key must start with' }) keyPrefix!: string;
  @ApiPropertyOptional({ description: 'HMAC of the expected key (lets the server verify without deriving)' }) keySignature?: string;
  @ApiPropertyOptional({ description: 'Unix time in seconds' }) expiresAt?: number;
}

/** altcha-lib's v2 challenge, as the `altcha` widget expects it. */
export class ChallengeDto {
  @ApiProperty({ type: ChallengeParametersDto }) parameters!: ChallengeParametersDto;
  @ApiProperty({ description: 'HMAC-SHA-256 of the parameters, hex' }) signature!: string;
}
