import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Environment } from '../config/environment.js';
import { MailBacklogService, type QueueCounts } from '../mail/mail-backlog.service.js';
import { SendingPauseService } from '../mail/sending-pause.service.js';

const CHECK_TIMEOUT_MS = 1500;

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly sending: SendingPauseService,
    private readonly backlog: MailBacklogService,
    private readonly env: Environment,
  ) {}

  /**
   * Readiness: 200 when PostgreSQL and Redis answer, the queue backlog is under HEALTH_MAX_BACKLOG
   * and SES has not paused sending; 503 otherwise.
   */
  @Get()
  @HealthCheck()
  async check(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.readiness();
    } catch (error) {
      // Terminus's 503 carries which check failed; the app's error filter would reduce it to a message.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return error.getResponse();
    }
  }

  /** Liveness: the process answers. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  private readiness() {
    // One read of the queue's counts answers both "is Redis there" and "how far behind are we".
    const counts = this.backlog.queueCounts();
    counts.catch(() => undefined); // reported by the indicators below
    return this.health.check([
      () => this.db.pingCheck('database').withTimeout(CHECK_TIMEOUT_MS),
      () =>
        this.indicators
          .check('redis')
          .attempt(async () => ({ waiting: (await counts).waiting }))
          .withTimeout(CHECK_TIMEOUT_MS),
      () =>
        this.indicators
          .check('ses')
          .attempt(async () => {
            const paused = await this.sending.reason();
            if (paused) throw new Error(`SES has paused sending: ${paused}`);
          })
          .withTimeout(CHECK_TIMEOUT_MS),
      () => this.checkBacklog(counts),
    ]);
  }

  // Waiting and delayed jobs: work the workers have not caught up with. 0 disables the limit.
  private async checkBacklog(counts: Promise<QueueCounts>) {
    const indicator = this.indicators.check('backlog');
    const max = this.env.HEALTH_MAX_BACKLOG;
    try {
      const { waiting, delayed } = await counts;
      const backlog = waiting + delayed;
      return max === 0 || backlog <= max ? indicator.up({ backlog, max }) : indicator.down({ backlog, max });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
