import type { Logger } from '@nestjs/common';
import type { Worker } from 'bullmq';

/**
 * Without a listener every reconnect attempt during a Redis outage prints a stack trace; with this
 * one, a line at most every 30 s.
 */
export function logWorkerErrors(worker: Worker, logger: Logger): void {
  let lastReported = 0;
  worker.on('error', (error) => {
    if (Date.now() - lastReported < 30_000) return;
    lastReported = Date.now();
    logger.warn(`Queue connection problem (the worker keeps retrying): ${error.message}`);
  });
}
