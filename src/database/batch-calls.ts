import DataLoader from 'dataloader';

// Long enough for the worker's concurrent jobs to share a statement, short next to an SES call.
const WINDOW_MS = 2;
const MAX_BATCH = 100;

/**
 * Makes a one-row statement serve many concurrent callers: calls arriving within a couple of
 * milliseconds go to `run` together, which answers each input in order (one statement, one round
 * trip). If the shared statement fails, each input is tried alone, so one bad row (or one dropped
 * connection) fails only the calls it really concerns.
 */
export function batchCalls<In, Out>(run: (inputs: readonly In[]) => Promise<Out[]>): (input: In) => Promise<Out> {
  const loader = new DataLoader<In, Out>(
    async (inputs) => {
      try {
        return await run(inputs);
      } catch (error) {
        if (inputs.length === 1) throw error;
        const alone = await Promise.allSettled(inputs.map((input) => run([input])));
        return alone.map((result) => (result.status === 'fulfilled' ? result.value[0] : asError(result.reason)));
      }
    },
    { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: (callback) => setTimeout(callback, WINDOW_MS) },
  );
  return (input) => loader.load(input);
}

const asError = (reason: unknown): Error => (reason instanceof Error ? reason : new Error(String(reason)));
