import 'reflect-metadata';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { shutdownGracefully } from './common/graceful-shutdown.js';
import { loadConfigOrExit } from './config/load-config.js';
import { healthRoutesOnly } from './health/health-routes-only.middleware.js';
import { WorkerModule } from './worker.module.js';

async function bootstrap(): Promise<void> {
  const env = loadConfigOrExit();
  const port = env.WORKER_HEALTH_PORT;
  // With a health port, an HTTP app serving only /health and /metrics; without one, no listener at all.
  const app =
    port === undefined
      ? await NestFactory.createApplicationContext(WorkerModule.forRoot(env), { bufferLogs: true })
      : await NestFactory.create(WorkerModule.forRoot(env), { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  shutdownGracefully(app);
  if (port !== undefined) await (app as INestApplication).use(healthRoutesOnly).listen(port);
  new Logger('Worker').log(
    `Sending with concurrency ${env.WORKER_CONCURRENCY}, at most ${env.SES_MAX_SEND_RATE} emails/s` +
      (port === undefined ? '' : `; health and metrics on ${port}`),
  );
}

void bootstrap();
