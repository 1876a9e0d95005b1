// Preloaded into each process under test (NODE_OPTIONS=--import <this file>) so the event-loop
// delay is measured from outside src/. SIGUSR2 writes the histogram since the last SIGUSR2 to
// $BENCH_LOOP_PROBE_FILE (one JSON object, ms) and starts a new one; the bench sends one signal at
// the start of the measured window (its numbers discarded) and one at the end. Figures are the
// delay past the sampling interval (the histogram itself records the whole interval).
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_LOOP_PROBE_FILE;
if (file) {
  const RESOLUTION_MS = 10;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let seq = 0;
  let since = Date.now();
  const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
  process.on('SIGUSR2', () => {
    const snapshot = {
      seq: ++seq,
      windowMs: Date.now() - since,
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      mean: ms(histogram.mean),
      samples: histogram.count,
    };
    writeFileSync(file, JSON.stringify(snapshot));
    histogram.reset();
    since = Date.now();
  });
}
