// Intake load, run in its own process so the generator does not share an event loop with the bench:
// unique-address POST /api/users from N keep-alive connections, after a warm-up.
import autocannon from 'autocannon';

const [url, connections, seconds, warmupSeconds, tag] = process.argv.slice(2);
let n = 0;

const result = await autocannon({
  url: `${url}/api/users`,
  connections: Number(connections),
  duration: Number(seconds),
  warmup: { connections: Number(connections), duration: Number(warmupSeconds) },
  requests: [
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ email: `intake.${tag}.${n++}@bench.example.com` }) }),
    },
  ],
});

process.send({
  requestsPerSecond: result.requests.total / result.duration,
  p50: result.latency.p50,
  p99: result.latency.p99,
  max: result.latency.max,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  total: result.requests.total,
  // CPU is sampled across warm-up and run: per-request figures divide by both.
  warmupTotal: result.warmup?.requests.total ?? 0,
});
