import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { configureApp, createHttpAdapter } from '../../src/app.setup.js';
import type { ServerLimits } from '../../src/common/server-limits.js';
import type { Environment } from '../../src/config/environment.js';
import { loadConfig } from '../../src/config/load-config.js';
import { MAIL_QUEUE } from '../../src/queue/jobs.js';
import { WorkerModule } from '../../src/worker.module.js';
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
  { worker = true, limits }: { worker?: boolean; limits?: ServerLimits } = {},
): Promise<Stack> {
  const env = loadConfig({ ...process.env, ...overrides });
  const web = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), createHttpAdapter(env, limits), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  await configureApp(web, env);
  await web.listen(0, '127.0.0.1');
  const address = web.getHttpServer().address() as { port: number };
  const workerApp = worker
    ? await NestFactory.createApplicationContext(WorkerModule.forRoot(env), { logger: ['error', 'warn'], abortOnError: false })
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

/** Empties users (tokens and outbox follow by cascade), rate-limit counters (where QUEUE_BACKEND keeps them) and the emulator's inbox. */
export async function resetState(stack: Stack): Promise<void> {
  await stack.db.query('TRUNCATE users CASCADE');
  await sesInbox.clear();
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

export async function countRows(stack: Stack): Promise<{ users: number; outbox: number; tokens: number }> {
  const [row] = await stack.db.query(
    `SELECT (SELECT count(*) FROM users)::int AS users,
            (SELECT count(*) FROM mail_outbox)::int AS outbox,
            (SELECT count(*) FROM tokens)::int AS tokens`,
  );
  return row;
}
