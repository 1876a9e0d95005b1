import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { AppModule } from '../../src/app.module.js';
import type { Registry } from '../../src/app.registry.js';
import { configureApp, createHttpAdapter } from '../../src/app.setup.js';
import type { ServerLimits } from '../../src/common/server-limits.js';
import type { Environment } from '../../src/config/environment.js';
import { loadAppConfig } from '../../src/app.registry.js';
import { SendingPauseService } from '../../src/mail/sending-pause.service.js';
import { MAIL_QUEUE } from '../../src/queue/jobs.js';
import { RateLimitStore } from '../../src/rate-limit/rate-limit.store.js';
import { WorkerModule } from '../../src/worker.module.js';
import { waitUntilIdle } from './metrics.js';
import { sesInbox } from './ses-inbox.js';
import { testApisOf, type TestApis } from './test-apis.js';

export interface Stack {
  env: Environment;
  web: NestFastifyApplication;
  worker?: INestApplicationContext;
  url: string;
  queue: Queue;
  /** The modules' test-only APIs, on this stack's database: for state no HTTP API or service shows or changes. */
  testApi: TestApis;
  close(): Promise<void>;
}

/**
 * Boots the web app and (unless `worker: false`) the worker, in this process, exactly as the
 * entry points do, against the test database, Redis and the SES emulator. `limits`: shorter HTTP
 * timeouts than production's, for tests of them.
 */
export async function startStack(
  overrides: Record<string, string> = {},
  { worker = true, limits, registry }: { worker?: boolean; limits?: ServerLimits; registry?: Registry } = {},
): Promise<Stack> {
  const env = loadAppConfig({ ...process.env, ...overrides });
  const web = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env, registry), createHttpAdapter(env, limits), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  await configureApp(web, env);
  await web.listen(0, '127.0.0.1');
  const address = web.getHttpServer().address() as { port: number };
  const workerApp = worker
    ? await NestFactory.createApplicationContext(WorkerModule.forRoot(env, registry), { logger: ['error', 'warn'], abortOnError: false })
    : undefined;
  return {
    env,
    web,
    worker: workerApp,
    url: `http://127.0.0.1:${address.port}`,
    queue: web.get<Queue>(getQueueToken(MAIL_QUEUE)),
    testApi: testApisOf(web),
    async close() {
      await workerApp?.close();
      await web.close();
    },
  };
}

/**
 * Between the tests of one file: forgets the rate-limit counters, waits until the emails asked for
 * so far are dealt with (when this stack has a worker), then empties the users (what hangs off them
 * follows by cascade) and the emails that outlived them, ends a pause SES reported and empties the emulator's inbox, so no limit,
 * job, pause or email of one test reaches the next. Files do not need this between them: each has
 * its own database and Redis (per-file-services.ts).
 */
export async function resetState(stack: Stack): Promise<void> {
  // First: a test that locked the admin token out would otherwise keep /metrics (waitUntilIdle) from answering.
  await stack.web.get(RateLimitStore).clear();
  if (stack.worker) await waitUntilIdle(stack.url);
  await stack.testApi.users.removeEveryUser();
  await stack.testApi.mail.removeEmailsOfDeletedUsers();
  await stack.web.get(SendingPauseService).sesResumed(Date.now() + 1); // as a send that went through would
  await sesInbox.clear();
}

/**
 * resetState for a file whose services run as processes of their own: a web app on the file's
 * database and Redis, for as long as the reset takes.
 */
export async function resetStateWithoutStack(): Promise<void> {
  const stack = await startStack({}, { worker: false });
  try {
    await resetState(stack);
  } finally {
    await stack.close();
  }
}
