import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { WEBHOOKS_QUEUE } from '../../src/queue/jobs.js';
import { WebhookRelay } from '../../src/webhooks/webhook-relay.service.js';
import { waitUntilIdle } from './metrics.js';
import type { Stack } from './stack.js';
import { waitFor } from './wait-for.js';

/**
 * Waits until every webhook asked for so far is provably dealt with: the emails first (a send or
 * a failure can be an event too), then, seen twice in a row, the relay moves nothing when asked to
 * (those an admin must release from a disabled endpoint stay), no delivery waits for it, and no job
 * of the webhooks queue waits, runs or waits for a retry. Only then is "nothing (more) was sent"
 * worth asserting.
 */
export async function waitUntilWebhooksIdle(stack: Stack, timeoutMs = 20_000): Promise<void> {
  await waitUntilIdle(stack.url, timeoutMs);
  const relay = stack.web.get(WebhookRelay);
  const queue = stack.web.get<Queue>(getQueueToken(WEBHOOKS_QUEUE));
  let quietReads = 0;
  await waitFor(
    async () => {
      const moved = await relay.drain();
      const waiting = await stack.testApi.webhooks.unqueuedCount(); // also while another relay's batch is not committed yet
      const jobs = Object.values(await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).reduce((sum, n) => sum + n, 0);
      quietReads = moved + waiting + jobs === 0 ? quietReads + 1 : 0;
      return quietReads >= 2;
    },
    { timeoutMs, intervalMs: 30, what: 'the webhook deliveries to settle' },
  );
}
