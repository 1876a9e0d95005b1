import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { loadConfigOrExit } from './config/load-config.js';
import { shutdownGracefully } from './common/graceful-shutdown.js';

async function bootstrap(): Promise<void> {
  const env = loadConfigOrExit();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLogger));
  configureApp(app, env);
  shutdownGracefully(app);
  await app.listen(env.PORT);
  new Logger('Web').log(`Listening on ${env.PORT}; links point to ${env.APP_URL}`);
}

void bootstrap();
