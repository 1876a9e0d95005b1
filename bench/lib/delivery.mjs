// Delivery: N registrations from `connections` keep-alive connections, then wait for every email
// in the emulator. Latency is from sending the request to the emulator storing the email.
import { Agent, request } from 'node:http';

function post(agent, url, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** POSTs `count` sign-ups of unique addresses from `connections` keep-alive connections; when each was sent, and how many failed. */
export async function postSignUps({ url, path = '/api/users', body = (email) => JSON.stringify({ email }), count, connections, tag }) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const sentAt = new Map();
  let next = 0;
  let non2xx = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < count) {
        const email = `delivery.${tag}.${next++}@bench.example.com`;
        sentAt.set(email, Date.now());
        const status = await post(agent, `${url}${path}`, body(email)).catch(() => 0);
        if (status < 200 || status > 299) non2xx++;
      }
    }),
  );
  agent.destroy();
  return { sentAt, non2xx };
}

/** `path` and `body(email)`: the side's sign-up request (the service's and the baseline's POST /api/users by default). */
export async function runDelivery({ url, path, body, emulator, count, connections, tag, timeoutMs }) {
  const start = Date.now();
  const { sentAt, non2xx } = await postSignUps({ url, path, body, count, connections, tag });
  const requestsDoneMs = Date.now() - start;

  await emulator.waitFor(count, timeoutMs);
  const firstArrival = new Map();
  let duplicates = 0;
  let strangers = 0;
  for (const [to, at] of emulator.arrivals) {
    if (!sentAt.has(to)) strangers++;
    else if (firstArrival.has(to)) duplicates++;
    else firstArrival.set(to, at);
  }
  const latencies = [...firstArrival].map(([to, at]) => at - sentAt.get(to)).sort((a, b) => a - b);
  const lastArrival = Math.max(...firstArrival.values());
  return {
    emailsPerSecond: (firstArrival.size / (lastArrival - start)) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1),
    missing: count - firstArrival.size,
    duplicates,
    strangers,
    non2xx,
    requestsPerSecond: (count / requestsDoneMs) * 1000,
  };
}

/** The emulator's own GET /store, read once at the end: a cross-check of the IPC count. */
export async function storeCounts(emulatorUrl) {
  const { emails } = await (await fetch(`${emulatorUrl}/store`)).json();
  const perAddress = new Map();
  for (const e of emails) for (const to of e.destination.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
  return { emails: emails.length, addresses: perAddress.size };
}
