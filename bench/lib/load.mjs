// One autocannon load, as the intake and sign-in phases run it (each in its own process, so the
// generator does not share an event loop with the bench): JSON POSTs from N keep-alive connections
// after a warm-up, `body(n)` giving the n-th request's body.
import autocannon from 'autocannon';

export async function postLoad({ url, connections, seconds, warmupSeconds, body }) {
  let n = 0;
  const result = await autocannon({
    url,
    connections: Number(connections),
    duration: Number(seconds),
    warmup: { connections: Number(connections), duration: Number(warmupSeconds) },
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: body(n++) }) }],
  });
  return {
    perSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    total: result.requests.total,
    // CPU is sampled across warm-up and run: per-request figures divide by both.
    warmupTotal: result.warmup?.requests.total ?? 0,
  };
}
