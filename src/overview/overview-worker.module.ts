import { Module } from '@nestjs/common';
import { FunnelRollup } from './funnel-rollup.service.js';
import { OverviewModule } from './overview.module.js';

/** Worker only: the hourly rollup of the funnel. */
@Module({
  imports: [OverviewModule],
  providers: [FunnelRollup],
  exports: [FunnelRollup],
})
export class OverviewWorkerModule {}
