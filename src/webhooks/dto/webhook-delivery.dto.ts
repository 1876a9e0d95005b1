import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_STATUSES, type DeliveryStatus, type WebhookDelivery } from '../webhook-delivery.js';

export class WebhookDeliveryDto {
  @ApiProperty({ description: 'Delivery id: the `webhook-id` header, the same on every attempt', format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The event type', example: 'user.registered' }) type!: string;
  @ApiProperty({ description: 'The WEBHOOK_URLS entry it goes to' }) endpoint!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES, description: 'pending: waiting, retrying, or held while its endpoint is disabled' })
  status!: DeliveryStatus;
  @ApiProperty({ description: 'HTTP attempts made so far' }) attempts!: number;
  @ApiProperty({ type: String, nullable: true, description: 'What the last failed attempt got' }) lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt!: Date | null;

  static from(d: WebhookDelivery): WebhookDeliveryDto {
    return {
      id: d.id,
      type: d.type,
      endpoint: d.endpoint,
      status: d.status,
      attempts: d.attempts,
      lastError: d.lastError,
      createdAt: d.createdAt,
      deliveredAt: d.deliveredAt,
    };
  }
}
