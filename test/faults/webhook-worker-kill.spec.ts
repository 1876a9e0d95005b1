import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDist, runServices } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';
import { SECRET_A, SECRET_B, webhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const N = 5;

const admin = { authorization: `Bearer ${process.env.ADMIN_TOKEN}` };

describe('webhooks through real processes', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await webhookReceiver([SECRET_A]);
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('delivers after a worker is SIGKILLed mid-delivery, duplicates only with the same webhook-id', { timeout: 90_000 }, async () => {
    const env = { WEBHOOK_URLS: receiver.url, WEBHOOK_SECRET: SECRET_A, WEBHOOK_RETRY_SCHEDULE: '1,1,1' };
    // Every first request stays unanswered: the worker is killed while it waits for the receiver.
    const firstSeen = new Set<string>();
    receiver.setAnswer((r) => {
      if (firstSeen.has(r.id)) return { status: 200 };
      firstSeen.add(r.id);
      return 'hang';
    });
    const services = await runServices(env);
    let worker = services.worker;
    try {
      for (let i = 0; i < N; i++) {
        const res = await fetch(`${services.url}/api/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `killed${i}@example.com` }),
        });
        expect(res.status).toBe(202);
      }
      await waitFor(() => firstSeen.size === N, { timeoutMs: 20_000, what: `${N} deliveries in flight` });
      await worker.stop('SIGKILL');
      expect(receiver.delivered()).toEqual([]);

      worker = runDist('main.worker.js', { PORT: new URL(services.url).port, APP_URL: services.url, ...env });
      await waitFor(() => receiver.delivered().length === N, {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'every delivery after the restart',
      });

      // The receiver answered 200; the worker records it a moment later.
      const rows = await waitFor(
        async () => {
          const res = await fetch(`${services.url}/api/admin/webhooks/deliveries`, { headers: admin });
          const all = (await res.json()) as Array<{ id: string; status: string }>;
          return all.length === N && all.every((r) => r.status === 'sent') ? all : null;
        },
        { what: `${N} deliveries recorded as sent` },
      );
      const ids = rows.map((r) => r.id).sort();
      // Each delivery arrived once, and every request (the killed attempt included) carried its id.
      expect(
        receiver
          .delivered()
          .map((r) => r.id)
          .sort(),
      ).toEqual(ids);
      expect([...new Set(receiver.received.map((r) => r.id))].sort()).toEqual(ids);
      expect(receiver.received).toHaveLength(2 * N);
      expect(new Set(receiver.delivered().map((r) => r.payload.data.email)).size).toBe(N);
      expect(receiver.rejected).toEqual([]);
    } finally {
      receiver.release();
      await Promise.all([services.web.stop(), worker.stop()]);
    }
  });

  const S = SECRET_A;
  it.each([
    ['main.js', { WEBHOOK_URLS: 'http://hooks.example.com/in', WEBHOOK_SECRET: S }, /^Invalid configuration: WEBHOOK_URLS .*https/],
    ['main.worker.js', { WEBHOOK_URLS: 'ftp://hooks.example.com/in', WEBHOOK_SECRET: S }, /^Invalid configuration: WEBHOOK_URLS /],
    [
      'main.js',
      { NODE_ENV: 'production', APP_SECRET: 'p'.repeat(40), WEBHOOK_URLS: 'http://127.0.0.1:9/in', WEBHOOK_SECRET: S },
      /^Invalid configuration: WEBHOOK_URLS .*production/,
    ],
    ['main.worker.js', { WEBHOOK_URLS: 'https://hooks.example.com/in' }, /^Invalid configuration: WEBHOOK_SECRET is required/],
    [
      'main.js',
      { WEBHOOK_URLS: 'https://hooks.example.com/in', WEBHOOK_SECRET: `whsec_${Buffer.alloc(16, 1).toString('base64')}` },
      /^Invalid configuration: WEBHOOK_SECRET must decode to at least 24 bytes/,
    ],
    [
      'main.js',
      { WEBHOOK_URLS: 'https://hooks.example.com/in', WEBHOOK_SECRET: `${S} not-a-secret` },
      /^Invalid configuration: WEBHOOK_SECRET must be whsec_/,
    ],
    ['main.worker.js', { WEBHOOK_EVENTS: 'user.registered,user.exploded' }, /^Invalid configuration: WEBHOOK_EVENTS .*user\.exploded/],
    ['main.js', { WEBHOOK_RETRY_SCHEDULE: '5,soon' }, /^Invalid configuration: WEBHOOK_RETRY_SCHEDULE /],
  ])('%s refuses bad webhook configuration with one line naming the variable (%j)', async (entry, env, message) => {
    const proc = runDist(entry, env);
    expect(await proc.exited).toBe(1);
    const lines = proc.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).not.toContain(SECRET_B.slice(6, 20));
    expect(lines[0]).not.toContain(S.slice(6, 20)); // a secret is never printed
  });
});
