import { ApiProperty } from '@nestjs/swagger';
import { EMAIL_KINDS } from '../email-kinds.js';
import type { OutboxMessage } from '../outbox-message.entity.js';

export class FailedEmailDto {
  @ApiProperty({ description: 'Outbox id', format: 'uuid' }) id!: string;
  @ApiProperty({ enum: EMAIL_KINDS.map((kind) => kind.name) }) kind!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() recipient!: string;
  @ApiProperty({ description: 'Why sending failed for good' }) error!: string;
  @ApiProperty({ type: String, format: 'date-time' }) failedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;

  static from(m: OutboxMessage): FailedEmailDto {
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
