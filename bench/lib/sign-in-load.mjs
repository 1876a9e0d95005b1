// Sign-in load, in its own process like intake: POST /api/sessions from N keep-alive connections,
// each request with the next of the prepared accounts, after a warm-up.
import autocannon from 'autocannon';

const [url, connections, seconds, warmupSeconds] = process.argv.slice(2);
const accounts = JSON.parse(process.env.BENCH_ACCOUNTS);
let n = 0;

const result = await autocannon({
  url: `${url}/api/sessions`,
  connections: Number(connections),
  duration: Number(seconds),
  warmup: { connections: Number(connections), duration: Number(warmupSeconds) },
  requests: [
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => ({ ...req, body: JSON.stringify(accounts[n++ % accounts.length]) }),
    },
  ],
});

process.send({
  signInsPerSecond: result.requests.total / result.duration,
  p50: result.latency.p50,
  p99: result.latency.p99,
  max: result.latency.max,
  non2xx: result.non2xx,
  errors: result.errors,
  total: result.requests.total,
  warmupTotal: result.warmup?.requests.total ?? 0,
});
