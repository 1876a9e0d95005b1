import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { RequestContext } from './request-context.js';

/**
 * Work started after the answer was sent (so that its duration tells a client nothing), awaited on
 * shutdown so that SIGTERM does not cut it off. Errors are logged, with the request that asked for
 * the work, never thrown at anyone.
 */
@Injectable()
export class BackgroundWork implements BeforeApplicationShutdown {
  private readonly logger = new Logger(BackgroundWork.name);
  private readonly running = new Set<Promise<void>>();

  run(what: string, context: RequestContext, work: () => Promise<unknown>): void {
    const task: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .then(
        () => undefined,
        (error: Error) => this.logger.warn({ requestId: context.requestId ?? undefined, msg: `${what} failed: ${error.message}` }),
      )
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Resolves once the work started so far is done (failed work included: its error was logged). */
  async settled(): Promise<void> {
    await Promise.all(this.running);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.running);
  }
}
