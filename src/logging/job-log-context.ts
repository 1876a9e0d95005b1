import type { Job } from 'bullmq';
import { Store, storage } from 'nestjs-pino/storage.js';
import { rootLogger } from './logger-options.js';

type JobHandler = (job: Job<{ outboxId?: string; requestId?: string }>, ...rest: unknown[]) => Promise<unknown>;

/**
 * For a processor's `process`: every line logged while the job runs carries its request id, outbox id
 * and job id, so one registration can be followed from the HTTP request to the send.
 */
export function WithJobLogContext(): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const handle = descriptor.value as JobHandler;
    descriptor.value = function (this: unknown, ...[job, ...rest]: Parameters<JobHandler>) {
      const logger = rootLogger();
      if (!logger) return handle.apply(this, [job, ...rest]);
      const fields = { requestId: job.data.requestId, outboxId: job.data.outboxId, jobId: job.id };
      return storage.run(new Store(logger.child(fields)), () => handle.apply(this, [job, ...rest]));
    };
  };
}
