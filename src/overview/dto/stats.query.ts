import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { BUCKETS, type Bucket } from '../funnel.js';

// The page's form sends an empty value for "the default".
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export class StatsQuery {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Start (ISO 8601); default: 24 hours before `to` by hour, 30 days before by day. Rounded down to its bucket',
  })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date and time, e.g. 2026-12-01T00:00:00Z' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End (ISO 8601, exclusive); default: now. Rounded up to its bucket' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date and time, e.g. 2026-12-02T00:00:00Z' })
  to?: string;

  @ApiPropertyOptional({ enum: BUCKETS, default: 'hour' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(BUCKETS, { message: `bucket must be one of ${BUCKETS.join(', ')}` })
  bucket?: Bucket;
}
