/**
 * QUEUE_BACKEND=postgres (this file runs in the postgres project only): the queue lives in the
 * same PostgreSQL as everything else, so a database outage stops sign-ups and sending alike. The
 * web and worker processes (from dist/) reach PostgreSQL through a relay the test cuts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addresses, registerAll, tally } from '../support/load.js';
import { runServices } from '../support/processes.js';
import { sesInbox } from '../support/ses-inbox.js';
import { resetStateWithoutStack } from '../support/stack.js';
import { tcpProxy, withPort } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait-for.js';

const WORKER_CONCURRENCY = 10;

describe('the PostgreSQL queue backend through a database outage (real processes)', () => {
  let stopAll: Array<() => Promise<unknown>> = [];
  beforeEach(async () => resetStateWithoutStack());
  afterEach(async () => {
    for (const stop of stopAll.reverse()) await stop().catch(() => undefined);
    stopAll = [];
  });

  it('answers 503 while PostgreSQL is away, then delivers every accepted address', { timeout: 120_000 }, async () => {
    expect(process.env.QUEUE_BACKEND).toBe('postgres');
    const db = new URL(process.env.DATABASE_URL!);
    const pg = await tcpProxy({ host: db.hostname, port: Number(db.port || 5432) });
    stopAll.push(() => pg.close());
    const services = await runServices({
      DATABASE_URL: withPort(db.toString(), pg.port),
      WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
      CONFIRMATION_REMINDER_AFTER_SECONDS: '0',
    });
    stopAll.push(() => services.stop());
    const health = async () => (await fetch(`${services.url}/health`)).status;

    const before = addresses('before.cut', 30);
    expect(await registerAll(services.url, before)).toEqual(before.map(() => 202));
    await pg.cut();
    const during = addresses('during.cut', 10);
    expect(await registerAll(services.url, during)).toEqual(during.map(() => 503));
    await waitFor(async () => (await health()) === 503, { what: '/health 503' });

    await pg.restore();
    await waitFor(async () => (await health()) === 200, { timeoutMs: 30_000, what: '/health 200 again' });
    const after = addresses('after.cut', 30);
    expect(await registerAll(services.url, after)).toEqual(after.map(() => 202));

    const accepted = [...before, ...after];
    const result = await waitFor(
      async () => {
        const counts = tally(await sesInbox.toAny(accepted), accepted);
        return counts.missing === 0 ? counts : null;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'every accepted address delivered' },
    );
    expect(result.delivered).toBe(accepted.length);
    expect(result.duplicates).toBeLessThanOrEqual(WORKER_CONCURRENCY);
    expect(await sesInbox.toAny(during)).toEqual([]);
  });
});
