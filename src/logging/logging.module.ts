import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Environment } from '../config/environment.js';
import { createRootLogger } from './logger-options.js';

/**
 * Structured JSON logs through pino (pretty in a development terminal): Nest's Logger writes to
 * the process's root logger. Requests are logged by Fastify hooks (request-logging.ts), not by
 * nestjs-pino's HTTP middleware, which is mounted on no route.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      imports: [],
      providers: [],
      inject: [Environment],
      useFactory: (env: Environment) => ({ pinoHttp: { logger: createRootLogger(env) }, forRoutes: [] }),
    }),
  ],
})
export class LoggingModule {}
