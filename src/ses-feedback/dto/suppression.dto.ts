import { ApiProperty } from '@nestjs/swagger';
import type { Suppression } from '../../mail/suppressions.repository.js';

export class SuppressionDto {
  @ApiProperty({ example: 'bounced@example.com', description: 'Lower-cased' }) email!: string;
  @ApiProperty({ enum: ['bounce', 'complaint'] }) reason!: 'bounce' | 'complaint';
  @ApiProperty({
    example: 'Permanent/General: smtp; 550 5.1.1 user unknown',
    description: 'SES bounce type/subtype and diagnostic, or the complaint feedback type',
  })
  detail!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;

  static from(s: Suppression): SuppressionDto {
    return { email: s.email, reason: s.reason, detail: s.detail, createdAt: s.createdAt };
  }
}

export class SnsReceivedDto {
  @ApiProperty({ enum: ['handled', 'duplicate', 'ignored'] }) status!: 'handled' | 'duplicate' | 'ignored';
}
