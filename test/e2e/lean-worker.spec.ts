import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runDist } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';

/** Records the npm packages a process loads (ESM and require) and writes them out when it exits. */
const TRACER = pathToFileURL(join(import.meta.dirname, '..', '..', 'scripts', 'loaded-packages.mjs')).href;

/** What only the web needs: the OpenAPI document, argon2 and the breached-password list (docs/memory.md). */
const WEB_ONLY = ['@nestjs/swagger', 'argon2', '@phc/format', '@zxcvbn-ts/language-common', '@zxcvbn-ts/dictionary-compression'];
const HTTP = ['fastify', '@nestjs/platform-fastify'];

const dir = mkdtempSync(join(tmpdir(), 'lean-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts dist/main.worker.js with the tracer, waits until it is ready, stops it (SIGTERM) and returns what it loaded. */
async function packagesOfWorker(name: string, env: Record<string, string>, ready: (output: string) => Promise<boolean> | boolean) {
  const file = join(dir, `${name}.txt`);
  const worker = runDist('main.worker.js', {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${TRACER}`.trim(),
    LOADED_PACKAGES_FILE: file,
    LOG_LEVEL: 'log',
    ...env,
  });
  try {
    await waitFor(() => ready(worker.output()), { timeoutMs: 20_000, what: `the ${name} worker` }).catch((error: Error) => {
      throw new Error(`${error.message}\n${worker.output()}`);
    });
  } finally {
    expect(await worker.stop()).toBe(0);
  }
  return readFileSync(file, 'utf8').trim().split('\n');
}

describe('the worker process stays lean (dist/main.worker.js, packages traced at load)', () => {
  it('loads neither Swagger, Fastify, argon2 nor the password dictionary without WORKER_HEALTH_PORT', async () => {
    const loaded = await packagesOfWorker('no-port', {}, (output) => output.includes('Sending with concurrency'));
    // The tracer saw the worker's own packages: the check below is not vacuous.
    expect(loaded).toEqual(expect.arrayContaining(['@nestjs/core', 'bullmq', 'pg']));
    expect(loaded.filter((p) => [...WEB_ONLY, ...HTTP].includes(p))).toEqual([]);
  });

  it('loads Fastify with WORKER_HEALTH_PORT, and still none of what only the web needs', async () => {
    const port = await freePort();
    const loaded = await packagesOfWorker('port', { WORKER_HEALTH_PORT: String(port) }, async () => {
      const [live, metrics] = await Promise.all([fetch(`http://127.0.0.1:${port}/health/live`), fetch(`http://127.0.0.1:${port}/metrics`)]);
      return live.ok && metrics.ok;
    });
    expect(loaded).toEqual(expect.arrayContaining(HTTP));
    expect(loaded.filter((p) => WEB_ONLY.includes(p))).toEqual([]);
  });
});
