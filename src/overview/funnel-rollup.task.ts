import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task.js';
import { FunnelRollup } from './funnel-rollup.service.js';

const EVERY_MS = 60_000;

/** Worker only: the funnel's rollup every minute, so no stats request has to do it. */
@Injectable()
export class FunnelRollupTask implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(rollup: FunnelRollup) {
    this.task = new PeriodicTask(FunnelRollup.name, () => rollup.rollUp(), EVERY_MS);
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
