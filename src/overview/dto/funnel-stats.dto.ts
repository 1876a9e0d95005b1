import { ApiProperty } from '@nestjs/swagger';

export class FunnelBucketDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the hour or day (UTC)' })
  at!: string;

  @ApiProperty({ description: 'Sign-ups of new addresses' })
  registered!: number;

  @ApiProperty({ description: 'Emails of every kind accepted by SES' })
  sent!: number;

  @ApiProperty({ description: 'Addresses confirmed' })
  confirmed!: number;

  @ApiProperty({ description: 'Hard bounces SES reported (those its bounce rate counts), each email once' })
  bounced!: number;

  @ApiProperty({ description: 'Complaints SES reported, each email once' })
  complained!: number;
}

class TimeToConfirmDto {
  @ApiProperty({
    type: 'number',
    nullable: true,
    description: 'Median seconds from sign-up to confirmation (within 2.5 %); null without confirmations',
  })
  p50Seconds!: number | null;

  @ApiProperty({ type: 'number', nullable: true, description: '90th percentile, likewise' })
  p90Seconds!: number | null;
}

class EmailsAndWebhooksDto {
  @ApiProperty()
  emails!: number;

  @ApiProperty()
  webhooks!: number;
}

export class FunnelStatsDto {
  @ApiProperty({ type: [FunnelBucketDto], description: 'Every bucket of the range, oldest first, empty ones with zeros' })
  buckets!: FunnelBucketDto[];

  @ApiProperty({ type: TimeToConfirmDto, description: 'Of the confirmations in the range' })
  timeToConfirm!: TimeToConfirmDto;

  @ApiProperty({
    type: EmailsAndWebhooksDto,
    description: 'Now, whatever the range: emails not yet sent, webhook deliveries pending (held ones too)',
  })
  waiting!: EmailsAndWebhooksDto;

  @ApiProperty({
    type: EmailsAndWebhooksDto,
    description: 'Now: emails and deliveries failed for good and not yet deleted (RETENTION_DAYS)',
  })
  failed!: EmailsAndWebhooksDto;
}
