import { Logger } from '@nestjs/common';
import type { RefusalReason } from './signup-guard.facts.js';

const MINUTE_MS = 60_000;

/**
 * One log line per wave of refusals, not one per request: the first refusal says a wave began,
 * then one line a minute counts them by reason while they go on, and a last line says it ended.
 */
export class RefusalWaves {
  private readonly logger = new Logger('SignupGuard');
  private counts: Partial<Record<RefusalReason, number>> | null = null;
  private timer?: NodeJS.Timeout;

  constructor(private readonly everyMs = MINUTE_MS) {}

  refused(reason: RefusalReason): void {
    if (this.counts) {
      this.counts[reason] = (this.counts[reason] ?? 0) + 1;
      return;
    }
    this.counts = {};
    this.logger.warn(`Sign-up requests refused (${reason}); counts follow once a minute while refusals go on`);
    this.timer = setInterval(() => this.summarise(), this.everyMs).unref();
  }

  private summarise(): void {
    const counts = this.counts ?? {};
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    if (total === 0) {
      this.logger.log('Sign-up refusals have stopped');
      clearInterval(this.timer);
      this.counts = null;
      return;
    }
    const byReason = Object.entries(counts)
      .map(([reason, n]) => `${reason}=${n}`)
      .join(' ');
    this.logger.warn({ msg: `Sign-up requests refused in the last minute: ${total} (${byReason})`, refused: counts });
    this.counts = {};
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
