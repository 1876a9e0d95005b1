import 'reflect-metadata';
import { type INestApplicationContext, Logger, type NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { anyAddress } from './common/any-address.js';
import { shutdownGracefully } from './common/graceful-shutdown.js';
import { startOrExit } from './common/start-or-exit.js';
import { checkRegistryOrExit, loadAppConfigOrExit } from './app.registry.js';
import { WorkerModule } from './worker.module.js';

const OPTIONS: NestApplicationOptions = { bufferLogs: true, abortOnError: false };

/** Logs through pino and shuts down on SIGTERM, whichever kind of app the worker is. */
function prepared<App extends INestApplicationContext>(app: App): App {
  app.useLogger(app.get(PinoLogger));
  shutdownGracefully(app);
  return app;
}

async function bootstrap(): Promise<void> {
  const env = loadAppConfigOrExit();
  checkRegistryOrExit(env);
  const port = env.WORKER_HEALTH_PORT;
  // With a health port, an HTTP app serving only /health and /metrics; without one, no listener at
  // all, and no Fastify loaded: worker-http.ts is imported only in that branch.
  if (port === undefined) {
    prepared(await NestFactory.createApplicationContext(WorkerModule.forRoot(env), OPTIONS));
  } else {
    const { createWorkerWithHealthPort } = await import('./worker-http.js');
    await prepared(await createWorkerWithHealthPort(env, OPTIONS)).listen(port, anyAddress());
  }
  new Logger('Worker').log(
    `Sending with concurrency ${env.WORKER_CONCURRENCY}, at most ${env.SES_MAX_SEND_RATE} emails/s` +
      (port === undefined ? '' : `; health and metrics on ${port}`),
  );
}

startOrExit(bootstrap);
