import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import type { Registry } from '../../src/app.registry.js';
import { configureApp, createHttpAdapter } from '../../src/app.setup.js';
import type { ServerLimits } from '../../src/common/server-limits.js';
import type { Environment } from '../../src/config/environment.js';
import { loadAppConfig } from '../../src/app.registry.js';
import { MAIL_QUEUE } from '../../src/queue/jobs.js';
import { WorkerModule } from '../../src/worker.module.js';
import { waitUntilIdle } from './metrics.js';
import { sesInbox } from './ses-inbox.js';

export interface Stack {
  env: Environment;
  web: NestFastifyApplication;
  worker?: INestApplicationContext;
  url: string;
  db: DataSource;
  queue: Queue;
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
    db: web.get(DataSource),
    queue: web.get<Queue>(getQueueToken(MAIL_QUEUE)),
    async close() {
      await workerApp?.close();
      await web.close();
    },
  };
}

/**
 * Between the tests of one file: waits until the emails asked for so far are dealt with (when this
 * stack has a worker), then empties the users (what hangs off them follows by cascade) and the
 * emulator's inbox, so no job or email of one test reaches the next. Files do not need this
 * between them: each has its own database and Redis (per-file-services.ts).
 */
export async function resetState(stack: Stack): Promise<void> {
  // First: a test that locked the admin token out would otherwise keep /metrics (waitUntilIdle) from answering.
  await clearRateLimits(stack);
  if (stack.worker) await waitUntilIdle(stack.url);
  await stack.db.query('TRUNCATE users CASCADE');
  await sesInbox.clear();
}

/** Rate-limit and lockout counters, where QUEUE_BACKEND keeps them: one test's lockout must not reach the next. */
async function clearRateLimits(stack: Stack): Promise<void> {
  if (stack.env.QUEUE_BACKEND === 'postgres') {
    await stack.db.query('TRUNCATE rate_limits, shared_flags');
    return;
  }
  const redis = new Redis(stack.env.REDIS_URL);
  try {
    const keys = await redis.keys('rl:*');
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/**
 * Moves every expiry time in the database into the past, as if the links' time had run out
 * (CONFIRMATION_TTL_SECONDS is at least 60, too long to wait in a test). Found by name, whatever
 * the tables are called, so it survives a change of schema.
 */
export async function expireEveryLink(stack: Stack): Promise<void> {
  const columns: Array<{ table: string; column: string }> = await stack.db.query(
    `SELECT table_name AS table, column_name AS column FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name LIKE 'expires%' AND data_type LIKE 'timestamp%'`,
  );
  if (columns.length === 0) throw new Error('No expiry column found');
  for (const { table, column } of columns) {
    await stack.db.query(`UPDATE "${table}" SET "${column}" = now() - interval '1 second' WHERE "${column}" > now()`);
  }
}

/** Rows in the tables of users, emails and tokens: what retention keeps or deletes. */
export async function countRows(stack: Stack): Promise<{ users: number; outbox: number; tokens: number }> {
  const [row] = await stack.db.query(
    `SELECT (SELECT count(*) FROM users)::int AS users,
            (SELECT count(*) FROM mail_outbox)::int AS outbox,
            (SELECT count(*) FROM tokens)::int AS tokens`,
  );
  return row;
}
