import { Module } from '@nestjs/common';
import { OverviewModule } from './overview.module.js';
import { StatsController } from './stats.controller.js';

/** Web only: GET /api/admin/stats. */
@Module({
  imports: [OverviewModule],
  controllers: [StatsController],
})
export class OverviewApiModule {}
