import { InjectQueue } from '@nestjs/bullmq';
import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { AdminTokenGuard } from '../common/admin-token.guard.js';
import { Environment } from '../config/environment.js';
import { MailModule } from '../mail/mail.module.js';
import { MAIL_QUEUE } from '../queue/jobs.js';
import { RateLimitStore } from '../rate-limit/rate-limit.store.js';
import { adminTokenMiddleware } from './admin-token.middleware.js';
import { QUEUE_BOARD_PATH } from './queue-board.csp.js';

/** Bull Board (queue dashboard: jobs by state, retry, clean) at /admin/queues, behind the admin token. */
@Module({ imports: [MailModule] })
export class QueueBoardModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly env: Environment,
    @InjectQueue(MAIL_QUEUE) private readonly queue: Queue,
    private readonly limits: RateLimitStore,
  ) {}

  // Mounted on Express itself: Bull Board is an Express sub-app and needs the mount path stripped,
  // which Nest's own middleware routing does not do. onModuleInit runs before Nest adds its 404 handler.
  async onModuleInit(): Promise<void> {
    const guard = adminTokenMiddleware(new AdminTokenGuard(this.env, this.limits));
    if (!this.env.ADMIN_TOKEN) {
      // Admin is off, so the guard refuses everyone: no need to load the dashboard (≈ 14 MB).
      this.adapterHost.httpAdapter.use(QUEUE_BOARD_PATH, guard);
      return;
    }
    const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
      import('@bull-board/express'),
    ]);
    const board = new ExpressAdapter().setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: [new BullMQAdapter(this.queue)],
      serverAdapter: board,
      options: { uiConfig: { boardTitle: `${this.env.PRODUCT_NAME} queues` } },
    });
    this.adapterHost.httpAdapter.use(QUEUE_BOARD_PATH, guard, board.getRouter());
  }
}
