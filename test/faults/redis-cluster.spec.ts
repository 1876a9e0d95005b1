import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addresses, registerAll, tally } from '../support/load.js';
import { freePort, runServices } from '../support/processes.js';
import { redisAnswers } from '../support/redis-server.js';
import { sesInbox } from '../support/ses-inbox.js';
import { resetStateWithoutStack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

/** One cluster-mode redis-server of the test's own, on loopback, that can be stopped and started again (AOF kept). */
function clusterNode(port: number) {
  const dir = mkdtempSync(join(tmpdir(), `redis-cluster-${port}-`));
  let child: ChildProcess | undefined;

  return {
    port,
    dir,
    async start() {
      child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          '2000',
          '--appendonly',
          'yes',
          '--save',
          '',
          '--dir',
          dir,
        ],
        { stdio: 'ignore' },
      );
      await waitFor(() => redisAnswers(port), { timeoutMs: 10_000, what: `redis-server on ${port}` });
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function clusterOk(port: number): Promise<boolean> {
  const r = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return /cluster_state:ok/.test((await r.call('CLUSTER', 'INFO')) as string);
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

describe('Redis Cluster: three masters, QUEUE_PREFIX={signup}', () => {
  const nodes: Array<ReturnType<typeof clusterNode>> = [];

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) nodes.push(clusterNode(await freePort()));
    await Promise.all(nodes.map((n) => n.start()));
    const created = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      {
        encoding: 'utf8',
      },
    );
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    await waitFor(async () => (await Promise.all(nodes.map((n) => clusterOk(n.port)))).every(Boolean) || null, {
      timeoutMs: 20_000,
      what: 'cluster_state:ok',
    });
    await resetStateWithoutStack();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    for (const n of nodes) rmSync(n.dir, { recursive: true, force: true });
  });

  it('delivers every email, the queue in one slot, while the master holding it restarts mid-run', { timeout: 150_000 }, async () => {
    const N = 150;
    const services = await runServices({
      REDIS_CLUSTER_NODES: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
      QUEUE_PREFIX: '{signup}',
      SES_MAX_SEND_RATE: '40',
      OUTBOX_REQUEUE_AFTER_SECONDS: '5',
    });
    try {
      // The master that owns {signup}'s slot: the one to restart.
      const probe = new Redis(nodes[0].port, '127.0.0.1');
      const slot = (await probe.call('CLUSTER', 'KEYSLOT', '{signup}')) as number;
      const slots = (await probe.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
      probe.disconnect();
      const owner = nodes.find((n) => slots.some(([from, to, [, port]]) => slot >= from && slot <= to && port === n.port))!;

      const emails = addresses('cluster', N);
      const registering = registerAll(services.url, emails);
      await waitFor(async () => (await sesInbox.toAny(emails)).length >= 30, { timeoutMs: 30_000, what: '30 emails' });
      expect((await sesInbox.toAny(emails)).length).toBeLessThan(N); // mid-run, not after
      await owner.stop();
      await new Promise((r) => setTimeout(r, 3000));
      await owner.start();
      expect((await registering).every((s) => s === 202)).toBe(true);

      const result = await waitFor(
        async () => {
          const t = tally(await sesInbox.all(), emails);
          return t.missing === 0 ? t : null;
        },
        { timeoutMs: 90_000, intervalMs: 500, what: `${N} emails` },
      );
      expect(result.delivered).toBe(N);
      expect(result.duplicates).toBeLessThanOrEqual(10); // at least once: jobs in flight at the restart

      // Every BullMQ key is under the hash-tagged prefix, on the one master that owns the slot.
      const onOwner = new Redis(owner.port, '127.0.0.1');
      const keys = await onOwner.keys('*');
      onOwner.disconnect();
      expect(keys.some((k) => k.startsWith('{signup}:mail:'))).toBe(true);
      await waitFor(async () => (await fetch(`${services.url}/health`)).ok || null, { timeoutMs: 20_000, what: '/health 200' });
    } finally {
      await services.stop();
    }
  });

  it('counts the rate limits on the cluster: a fourth sign-up in a minute from one client is refused', { timeout: 60_000 }, async () => {
    const services = await runServices({
      REDIS_CLUSTER_NODES: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
      QUEUE_PREFIX: '{signup}',
      RATE_LIMIT_PER_MINUTE: '3',
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${services.url}/api/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `limited-${i}@example.com` }),
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([202, 202, 202, 429]);
      expect(services.web.output()).not.toContain('Rate limits off');
    } finally {
      await services.stop();
    }
  });
});
