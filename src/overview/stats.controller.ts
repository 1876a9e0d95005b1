import { Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminApi } from '../admin/admin-api.decorator.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { FunnelStatsDto } from './dto/funnel-stats.dto.js';
import { StatsQuery } from './dto/stats.query.js';
import { FunnelStatsService } from './funnel-stats.service.js';
import { statsRange } from './stats-range.js';

@AdminApi('stats')
export class StatsController {
  constructor(private readonly funnel: FunnelStatsService) {}

  @Get()
  @ApiOperation({
    summary:
      'The sign-up funnel by hour or day: sign-ups, emails sent, confirmations, bounces, complaints; time to confirm; what waits and what failed',
  })
  @ApiOkResponse({ type: FunnelStatsDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'invalid_input (a malformed date or bucket) or invalid_range (from not before to, too many buckets)',
  })
  async stats(@Query() query: StatsQuery): Promise<FunnelStatsDto> {
    const { start, end, bucket } = statsRange(query);
    const stats = await this.funnel.stats(start, end, bucket);
    return { ...stats, buckets: stats.buckets.map((b) => ({ ...b, at: b.at.toISOString() })) };
  }
}
