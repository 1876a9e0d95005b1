import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { shutdownGracefully } from './common/graceful-shutdown.js';
import { startOrExit } from './common/start-or-exit.js';
import { checkRegistryOrExit, loadAppConfigOrExit } from './app.registry.js';
import { WorkerModule } from './worker.module.js';

async function bootstrap(): Promise<void> {
  const env = loadAppConfigOrExit();
  checkRegistryOrExit(env);
  const port = env.WORKER_HEALTH_PORT;
  // With a health port, an HTTP app serving only /health and /metrics; without one, no listener at
  // all, and no Fastify loaded: worker-http.ts is imported only in that branch.
  if (port === undefined) {
    const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), { bufferLogs: true, abortOnError: false });
    app.useLogger(app.get(PinoLogger));
    shutdownGracefully(app);
  } else {
    const { startWorkerWithHealthPort } = await import('./worker-http.js');
    await startWorkerWithHealthPort(env, port);
  }
  new Logger('Worker').log(
    `Sending with concurrency ${env.WORKER_CONCURRENCY}, at most ${env.SES_MAX_SEND_RATE} emails/s` +
      (port === undefined ? '' : `; health and metrics on ${port}`),
  );
}

startOrExit(bootstrap);
