import type { Job } from 'bullmq';

/**
 * The fields of a mail job's log lines: the job, its outbox row and the HTTP request that caused it,
 * so one email can be followed from the request to its send. Passed explicitly, not bound through
 * AsyncLocalStorage: on Node 20 its promise hooks tax every promise of the process (README, Performance).
 */
export const jobLogFields = (job: Job<{ outboxId?: string; requestId?: string }>) => ({
  requestId: job.data.requestId,
  outboxId: job.data.outboxId,
  jobId: job.id,
});
