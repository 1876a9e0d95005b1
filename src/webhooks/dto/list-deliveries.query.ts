import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../webhook-delivery.js';
import { WEBHOOK_EVENT_NAMES } from '../webhook-events.js';

// The page's filter form sends an empty value for "any".
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export class ListDeliveriesQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryStatus;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_NAMES })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(WEBHOOK_EVENT_NAMES, { message: `type must be one of ${WEBHOOK_EVENT_NAMES.join(', ')}` })
  type?: string;
}
