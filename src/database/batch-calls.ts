import DataLoader from 'dataloader';

// Long enough for the worker's concurrent jobs to share a statement, short next to an SES call.
const WINDOW_MS = 2;
const MAX_BATCH = 100;

/**
 * Makes a one-row statement serve many concurrent callers: calls arriving within a couple of
 * milliseconds go to `run` together, which answers each input in order (one statement, one round
 * trip). If `run` fails, every call in the batch fails with its error.
 */
export function batchCalls<In, Out>(run: (inputs: readonly In[]) => Promise<Out[]>): (input: In) => Promise<Out> {
  const loader = new DataLoader<In, Out>((inputs) => run(inputs), {
    cache: false,
    maxBatchSize: MAX_BATCH,
    batchScheduleFn: (callback) => setTimeout(callback, WINDOW_MS),
  });
  return (input) => loader.load(input);
}
