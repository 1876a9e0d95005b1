import { Module } from '@nestjs/common';
import { SesFeedbackModule } from '../ses-feedback/ses-feedback.module.js';
import { UsersCoreModule } from '../users/users-core.module.js';
import { FunnelCounter } from './funnel-counter.service.js';
import { FunnelHoursRepository } from './funnel-hours.repository.js';
import { FunnelRollup } from './funnel-rollup.service.js';
import { FunnelStatsService } from './funnel-stats.service.js';

/** The operators' funnel figures, for both processes: read by the web (API and /admin), rolled up by the worker. */
@Module({
  imports: [UsersCoreModule, SesFeedbackModule],
  providers: [FunnelStatsService, FunnelHoursRepository, FunnelCounter, FunnelRollup],
  exports: [FunnelStatsService, FunnelRollup],
})
export class OverviewModule {}
