import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';

export const OVERVIEW_RANGES = ['24h', '30d'] as const;
export type OverviewRange = (typeof OVERVIEW_RANGES)[number];

/** The overview's one choice: the last 24 hours by hour, or the last 30 days by day. */
export class AdminOverviewQuery {
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsOptional()
  @IsIn(OVERVIEW_RANGES, { message: `range must be one of ${OVERVIEW_RANGES.join(', ')}` })
  range: OverviewRange = '24h';
}
