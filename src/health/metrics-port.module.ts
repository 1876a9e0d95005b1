import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { anyAddress } from '../common/any-address.js';
import { checkingIntervalMs, SERVER_LIMITS } from '../common/server-limits.js';
import { Environment } from '../config/environment.js';
import { admitDetails, OPERATOR_ROUTES } from '../admin/operator-access.js';

const NOT_HERE = JSON.stringify({
  statusCode: 404,
  error: 'Not Found',
  message: 'METRICS_PORT serves /health, /health/live, /health/sending and /metrics only',
});

/**
 * Web only: with METRICS_PORT set, a second listener for operators that serves /metrics and the
 * health routes in full, without the admin token, through the app's own routes and hooks. Like
 * the worker's WORKER_HEALTH_PORT, it must not be reachable from the internet.
 */
@Module({})
export class MetricsPortModule implements OnModuleInit {
  private server?: Server;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly env: Environment,
  ) {}

  onModuleInit(): void {
    const port = this.env.METRICS_PORT;
    if (port === undefined) return;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Opened once Fastify has loaded every route and plugin (during app.listen), closed with it.
    fastify.addHook('onReady', async () => {
      const limits = SERVER_LIMITS;
      const server = createServer(
        {
          requestTimeout: limits.requestTimeoutMs,
          headersTimeout: limits.requestTimeoutMs,
          connectionsCheckingInterval: checkingIntervalMs(limits),
        },
        (req, res) => {
          if (!OPERATOR_ROUTES.test(req.url ?? '')) {
            res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(NOT_HERE);
            return;
          }
          admitDetails(req);
          fastify.routing(req, res);
        },
      );
      server.setTimeout(limits.connectionTimeoutMs);
      server.keepAliveTimeout = limits.keepAliveTimeoutMs;
      server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
      server.listen(port, anyAddress());
      await once(server, 'listening');
      this.server = server;
      new Logger('Web').log(`Metrics and health details on ${port}`);
    });
    fastify.addHook('onClose', async () => {
      const server = this.server;
      if (!server) return;
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
  }
}
