import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Queue } from 'bullmq';
import { SendingPauseService } from '../mail/sending-pause.service.js';
import { MAIL_QUEUE } from '../queue/jobs.js';

const CHECK_TIMEOUT_MS = 1500;

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectQueue(MAIL_QUEUE) private readonly queue: Queue,
    private readonly sending: SendingPauseService,
  ) {}

  /** Readiness: 200 when PostgreSQL and Redis answer and SES has not paused sending, 503 otherwise. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.db.pingCheck('database').withTimeout(CHECK_TIMEOUT_MS),
      () =>
        this.indicators
          .check('redis')
          .attempt(async () => ({ waiting: await this.queue.getWaitingCount() }))
          .withTimeout(CHECK_TIMEOUT_MS),
      () =>
        this.indicators
          .check('ses')
          .attempt(async () => {
            const paused = await this.sending.reason();
            if (paused) throw new Error(`SES has paused sending: ${paused}`);
          })
          .withTimeout(CHECK_TIMEOUT_MS),
    ]);
  }

  /** Liveness: the process answers. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }
}
