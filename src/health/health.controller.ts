import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HealthChecksService, type HealthReport, publicView } from './health-checks.service.js';
import { HealthCheckDto, HealthReportDto } from './health-report.dto.js';
import { mayReadDetails } from '../admin/operator-access.js';

@ApiTags('health')
@ApiExtraModels(HealthCheckDto)
@Controller('health')
export class HealthController {
  constructor(private readonly checks: HealthChecksService) {}

  @Get()
  @ApiOperation({
    summary: 'Readiness: PostgreSQL and Redis answer',
    description: 'Checked at most once a second. Details only with the admin token (Bearer) or on METRICS_PORT.',
  })
  @ApiOkResponse({ type: HealthReportDto })
  @ApiServiceUnavailableResponse({ type: HealthReportDto, description: 'PostgreSQL or Redis unreachable' })
  async check(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    return this.answer(await this.checks.readiness(), req, reply);
  }

  @Get('sending')
  @ApiOperation({
    summary:
      'Whether emails go out: no SES pause (reported or automatic), reputation under its warning levels, mail backlog within HEALTH_MAX_BACKLOG',
    description: 'Not part of readiness: a backlog is for workers to clear, not a reason to stop taking sign-ups.',
  })
  @ApiOkResponse({ type: HealthReportDto })
  @ApiServiceUnavailableResponse({
    type: HealthReportDto,
    description: 'SES paused sending, Redis unreachable, or the backlog is over its limit',
  })
  async sending(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    return this.answer(await this.checks.sending(), req, reply);
  }

  /** Liveness: the process answers. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } })
  live() {
    return { status: 'ok' };
  }

  private answer(report: HealthReport, req: FastifyRequest, reply: FastifyReply): HealthReport {
    reply.status(report.status === 'ok' ? 200 : 503);
    reply.header('Cache-Control', 'no-store');
    return mayReadDetails(req) ? report : publicView(report);
  }
}
