import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Environment } from '../config/environment.js';
import { createRootLogger, serializeRequest, serializeResponse } from './logger-options.js';
import { requestIdMiddleware, requestIdOf } from './request-id.js';

const QUIET_PATHS = /^\/(health|metrics|static\/|admin\/queues\/static\/)/i;
const ALL_ROUTES = { path: '{*path}', method: RequestMethod.ALL };

/**
 * Structured JSON logs through pino (pretty in a development terminal), one request id per HTTP
 * request, echoed in X-Request-Id and bound to every line logged while handling it.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      imports: [],
      providers: [],
      inject: [Environment],
      useFactory: (env: Environment) => ({
        forRoutes: [ALL_ROUTES],
        pinoHttp: {
          logger: createRootLogger(env),
          genReqId: requestIdOf,
          serializers: { req: serializeRequest, res: serializeResponse },
          quietReqLogger: true,
          customAttributeKeys: { reqId: 'requestId' },
          // Fastify's middleware layer rewrites req.url to what is left after the mount point; originalUrl is what was asked.
          autoLogging: { ignore: (req) => QUIET_PATHS.test((req as { originalUrl?: string }).originalUrl ?? req.url ?? '') },
          customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
        },
      }),
    }),
  ],
})
export class LoggingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestIdMiddleware).forRoutes(ALL_ROUTES);
  }
}
