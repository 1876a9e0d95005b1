import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { shutdownGracefully } from './common/graceful-shutdown.js';
import { loadConfigOrExit } from './config/load-config.js';
import { logLevels } from './config/log-levels.js';
import { WorkerModule } from './worker.module.js';

async function bootstrap(): Promise<void> {
  const env = loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), {
    logger: logLevels(env.LOG_LEVEL),
  });
  shutdownGracefully(app);
  new Logger('Worker').log(`Sending with concurrency ${env.WORKER_CONCURRENCY}, at most ${env.SES_MAX_SEND_RATE} emails/s`);
}

void bootstrap();
