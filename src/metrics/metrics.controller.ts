import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { MailBacklogService } from '../mail/mail-backlog.service.js';
import { MetricsService } from './metrics.service.js';

/** Prometheus scrape endpoint (web port, and the worker's WORKER_HEALTH_PORT). */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly backlog: MailBacklogService,
  ) {}

  @Get()
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    await this.readGauges();
    void reply.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }

  // Gauges read from Redis/PostgreSQL keep their last value while a store is away; /health says so.
  private async readGauges(): Promise<void> {
    const [counts, outbox] = await Promise.allSettled([this.backlog.queueCounts(), this.backlog.outboxBacklog()]);
    if (counts.status === 'fulfilled') {
      for (const [state, value] of Object.entries(counts.value)) this.metrics.queueJobs.set({ state }, value);
    }
    if (outbox.status === 'fulfilled') this.metrics.outboxBacklog.set(outbox.value);
  }
}
