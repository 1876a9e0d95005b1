import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../webhook-delivery.js';

// The page's filter form sends an empty value for "any".
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export class ListDeliveriesQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryStatus;

  @ApiPropertyOptional({ description: 'A webhook event type, e.g. user.registered' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  type?: string;
}
