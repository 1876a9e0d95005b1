import { Module } from '@nestjs/common';
import { FunnelRollupTask } from './funnel-rollup.task.js';
import { OverviewModule } from './overview.module.js';

/** Worker only: the hourly rollup of the funnel. */
@Module({
  imports: [OverviewModule],
  providers: [FunnelRollupTask],
})
export class OverviewWorkerModule {}
