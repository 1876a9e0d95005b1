import { ApiProperty } from '@nestjs/swagger';
import type { OutboxEmail } from '../outbox-email.js';

export class FailedEmailDto {
  @ApiProperty({ description: 'Outbox id', format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The kind of email', example: 'confirmation' }) kind!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() recipient!: string;
  @ApiProperty({ description: 'Why sending failed for good' }) error!: string;
  @ApiProperty({ type: String, format: 'date-time' }) failedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;

  static from(m: OutboxEmail): FailedEmailDto {
    return {
      id: m.id,
      kind: m.kind,
      userId: m.userId,
      recipient: m.recipient,
      error: m.error ?? '',
      failedAt: m.failedAt!,
      createdAt: m.createdAt,
    };
  }
}

export class RetriedEmailsDto {
  @ApiProperty({ description: 'Outbox ids handed back to the queue', type: [String] })
  retried!: string[];
}
