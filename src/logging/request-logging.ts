import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { REQUEST_ID_HEADER } from './request-id.js';

const QUIET_PATHS = /^\/(health|metrics|static\/|admin\/queues\/static\/)/i;

/**
 * One line per answered request (5xx at error level), and the request id echoed in X-Request-Id.
 * Fastify hooks, not Express-style middleware: this is on every request's path, where middleware
 * and a child logger per request cost a fifth of the web's CPU (README, Performance).
 */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, req.id);
    done();
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    if (!QUIET_PATHS.test(req.url)) logLine(req, reply.statusCode, Math.round(reply.elapsedTime));
    done();
  });
  // The client went away before the answer: no onResponse follows.
  fastify.addHook('onRequestAbort', (req, done) => {
    if (!QUIET_PATHS.test(req.url)) logLine(req, null);
    done();
  });

  function logLine(req: FastifyRequest, statusCode: number | null, responseTime?: number): void {
    const failed = statusCode !== null && statusCode >= 500;
    logger[failed ? 'error' : 'info'](
      {
        requestId: req.id,
        // The root logger's serializers redact what is logged of these.
        req: { id: req.id, method: req.method, url: req.url, headers: req.headers, remoteAddress: req.socket.remoteAddress },
        res: { statusCode },
        responseTime,
      },
      statusCode === null ? 'request aborted' : failed ? 'request errored' : 'request completed',
    );
  }
}
