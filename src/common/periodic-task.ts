import { Logger } from '@nestjs/common';

/**
 * Runs `work` every `everyMs`, never two at once, and waits for the running one on stop. A failure
 * (PostgreSQL away, say) is logged once until the work succeeds again; the next tick retries.
 */
export class PeriodicTask {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private failing = false;

  constructor(
    name: string,
    private readonly work: () => Promise<unknown>,
    private readonly everyMs: number,
  ) {
    this.logger = new Logger(name);
  }

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.everyMs);
    this.timer.unref();
    void this.runOnce();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One run now (unless one is under way, which is then awaited instead). */
  runOnce(): Promise<void> {
    this.running ??= this.work()
      .then(
        () => {
          if (this.failing) this.logger.log('Working again');
          this.failing = false;
        },
        (error: Error) => {
          if (!this.failing) this.logger.warn(`Failed, will retry: ${error.message}`);
          this.failing = true;
        },
      )
      .finally(() => (this.running = null));
    return this.running;
  }
}
