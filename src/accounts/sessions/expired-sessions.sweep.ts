import { type BeforeApplicationShutdown, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicTask } from '../../common/periodic-task.js';
import { SessionsService } from './sessions.service.js';

const BATCH = 500;

/** Worker only: deletes ended sessions (idle or past their lifetime) in small batches, every few minutes. */
@Injectable()
export class ExpiredSessionsSweep implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private task?: PeriodicTask;

  constructor(private readonly sessions: SessionsService) {}

  onApplicationBootstrap(): void {
    this.task = new PeriodicTask(ExpiredSessionsSweep.name, () => this.sweep(), 300_000);
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task?.stop();
  }

  async sweep(): Promise<void> {
    while ((await this.sessions.purgeExpired(BATCH)) === BATCH);
  }
}
