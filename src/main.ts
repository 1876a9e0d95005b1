import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { configureApp, createHttpAdapter } from './app.setup.js';
import { checkRegistryOrExit, loadAppConfigOrExit } from './app.registry.js';
import { anyAddress } from './common/any-address.js';
import { shutdownGracefully } from './common/graceful-shutdown.js';
import { startOrExit } from './common/start-or-exit.js';

async function bootstrap(): Promise<void> {
  const env = loadAppConfigOrExit();
  checkRegistryOrExit(env);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), createHttpAdapter(env), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(PinoLogger));
  await configureApp(app, env);
  shutdownGracefully(app);
  await app.listen(env.PORT, anyAddress());
  new Logger('Web').log(`Listening on ${env.PORT}; links point to ${env.APP_URL}`);
}

startOrExit(bootstrap);
