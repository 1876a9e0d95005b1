import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HealthChecksService, type HealthReport, publicView } from './health-checks.service.js';
import { mayReadDetails } from '../admin/operator-access.js';

/** Served by the web and by the worker on WORKER_HEALTH_PORT; its OpenAPI description is in health.openapi.ts (the worker loads no Swagger). */
@Controller('health')
export class HealthController {
  constructor(private readonly checks: HealthChecksService) {}

  @Get()
  async check(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    return this.answer(await this.checks.readiness(), req, reply);
  }

  @Get('sending')
  async sending(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    return this.answer(await this.checks.sending(), req, reply);
  }

  /** Liveness: the process answers. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  private answer(report: HealthReport, req: FastifyRequest, reply: FastifyReply): HealthReport {
    reply.status(report.status === 'ok' ? 200 : 503);
    reply.header('Cache-Control', 'no-store');
    return mayReadDetails(req) ? report : publicView(report);
  }
}
