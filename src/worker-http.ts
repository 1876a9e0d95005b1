import type { NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { fastifyServerLimits } from './common/server-limits.js';
import type { Environment } from './config/environment.js';
import { healthRoutesOnly } from './health/health-routes-only.hook.js';
import { HealthModule } from './health/health.module.js';
import { MetricsHttpModule } from './metrics/metrics-http.module.js';
import { WorkerModule } from './worker.module.js';

/**
 * The worker with WORKER_HEALTH_PORT: an HTTP app serving only /health and /metrics. main.worker.ts
 * imports this file only then, so a worker without the port never loads Fastify (docs/memory.md).
 */
export async function createWorkerWithHealthPort(env: Environment, options: NestApplicationOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    WorkerModule.forRoot(env, undefined, [HealthModule, MetricsHttpModule]),
    new FastifyAdapter(fastifyServerLimits()),
    options,
  );
  app.getHttpAdapter().getInstance().addHook('onRequest', healthRoutesOnly);
  return app;
}
