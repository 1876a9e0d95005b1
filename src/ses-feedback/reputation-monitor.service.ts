import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task.js';
import { Environment } from '../config/environment.js';
import { feedbackRetentionDays } from './feedback-retention.js';
import { ReputationGuard } from './reputation-guard.service.js';
import { SesFeedbackService } from './ses-feedback.service.js';

const EVERY_MS = 10_000;
const WARN_AGAIN_MS = 15 * 60_000;
const PURGE_EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Worker only: re-reads the reputation rates every few seconds (pausing sending when they cross a
 * pause level with SES_AUTO_PAUSE), logs a warning while they are over a warning level, and deletes
 * feedback older than it is needed.
 */
@Injectable()
export class ReputationMonitor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SesReputation');
  private task?: PeriodicTask;
  private warnedAt = 0;
  private purgedAt = 0;

  constructor(
    private readonly env: Environment,
    private readonly guard: ReputationGuard,
    private readonly feedback: SesFeedbackService,
  ) {}

  onApplicationBootstrap(): void {
    this.task = new PeriodicTask(ReputationMonitor.name, () => this.check(), EVERY_MS);
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task?.stop();
  }

  async check(): Promise<void> {
    const state = await this.guard.evaluate();
    if (state.warning && Date.now() - this.warnedAt > WARN_AGAIN_MS) {
      this.warnedAt = Date.now();
      this.logger.warn(`SES reputation: ${state.warning}; AWS reviews the account at 5 % bounces or 0.1 % complaints`);
    } else if (!state.warning && this.warnedAt > 0) {
      this.warnedAt = 0;
      this.logger.log('SES reputation back under the warning levels');
    }
    if (Date.now() - this.purgedAt > PURGE_EVERY_MS) {
      this.purgedAt = Date.now();
      const cutoff = new Date(Date.now() - feedbackRetentionDays(this.env) * DAY_MS);
      while ((await this.feedback.purge(cutoff, 500)) > 0);
    }
  }
}
