import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { exitWithin } from './common/exit-within.js';
import { loadConfigOrExit } from './config/load-config.js';
import { logLevels } from './config/log-levels.js';
import { WorkerModule } from './worker.module.js';

async function bootstrap(): Promise<void> {
  const env = loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), {
    logger: logLevels(env.LOG_LEVEL),
  });
  // On SIGTERM the BullMQ worker stops taking jobs and lets in-flight ones finish.
  app.enableShutdownHooks();
  exitWithin(30_000);
  new Logger('Worker').log(`Sending with concurrency ${env.WORKER_CONCURRENCY}, at most ${env.SES_MAX_SEND_RATE} emails/s`);
}

void bootstrap();
