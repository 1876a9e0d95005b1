import { InjectQueue } from '@nestjs/bullmq';
import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { AdminPageGuard } from '../admin/admin-page.guard.js';
import { HttpExceptionFilter } from '../common/http-exception.filter.js';
import { Environment } from '../config/environment.js';
import { MAIL_QUEUE } from '../queue/jobs.js';
import { RateLimitStore } from '../rate-limit/rate-limit.store.js';
import { adminTokenHook } from '../admin/admin-token.hook.js';
import { boardWritesHook } from './board-writes.hook.js';
import { QUEUE_BOARD_PATH } from './queue-board.csp.js';

/** Bull Board (queue dashboard: jobs by state, retry, clean) at /admin/queues, behind the admin token (Bearer, or Basic like the admin pages). */
@Module({})
export class QueueBoardModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly env: Environment,
    @InjectQueue(MAIL_QUEUE) private readonly queue: Queue,
    private readonly limits: RateLimitStore,
  ) {}

  // Registered on Fastify itself, in its own scope so the admin hook and the board's view engine
  // stay there; Fastify loads it when the server starts, after Nest's own routes and error handler.
  async onModuleInit(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const errors = new HttpExceptionFilter(fastify);
    const refuseOthers = adminTokenHook(new AdminPageGuard(this.env, this.limits), errors);
    if (!this.env.ADMIN_TOKEN) {
      // Admin is off, so the hook refuses everyone: no need to load the dashboard (≈ 14 MB).
      void fastify.register((scope, _options, done) => {
        scope.addHook('onRequest', refuseOthers);
        scope.all(QUEUE_BOARD_PATH, () => undefined);
        scope.all(`${QUEUE_BOARD_PATH}/*`, () => undefined);
        done();
      });
      return;
    }
    const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }] = await Promise.all([
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
      import('@bull-board/fastify'),
    ]);
    const board = new FastifyAdapter().setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: [new BullMQAdapter(this.queue)],
      serverAdapter: board,
      options: { uiConfig: { boardTitle: `${this.env.PRODUCT_NAME} queues` } },
    });
    void fastify.register(async (scope) => {
      scope.addHook('onRequest', refuseOthers);
      // Basic credentials ride along on cross-site form posts: writes must be same-origin JSON, or Bearer.
      scope.addHook('onRequest', boardWritesHook(this.env.APP_URL, errors));
      await scope.register(board.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
    });
  }
}
