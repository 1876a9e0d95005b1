import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthController } from './health.controller.js';
import { HealthCheckDto, HealthReportDto } from './health-report.dto.js';

let described = false;

/**
 * HealthController's OpenAPI description, applied by the web when it builds the document
 * (app.openapi.ts). Decorator calls here rather than on the controller: the worker serves it on
 * WORKER_HEALTH_PORT and must not load @nestjs/swagger (docs/memory.md). Applied bottom-up, as
 * TypeScript applies decorators, so the document comes out as before.
 */
export function describeHealthRoutes(): void {
  if (described) return;
  described = true;
  ApiExtraModels(HealthCheckDto)(HealthController);
  ApiTags('health')(HealthController);

  const report = { type: HealthReportDto };
  method(
    'check',
    ApiServiceUnavailableResponse({ ...report, description: 'PostgreSQL or Redis unreachable' }),
    ApiOkResponse(report),
    ApiOperation({
      summary: 'Readiness: PostgreSQL and Redis answer',
      description: 'Checked at most once a second. Details only with the admin token (Bearer) or on METRICS_PORT.',
    }),
  );
  method(
    'sending',
    ApiServiceUnavailableResponse({ ...report, description: 'SES paused sending, Redis unreachable, or the backlog is over its limit' }),
    ApiOkResponse(report),
    ApiOperation({
      summary:
        'Whether emails go out: no SES pause (reported or automatic), reputation under its warning levels, mail backlog within HEALTH_MAX_BACKLOG',
      description: 'Not part of readiness: a backlog is for workers to clear, not a reason to stop taking sign-ups.',
    }),
  );
  method(
    'live',
    ApiOkResponse({ schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } }),
    ApiOperation({ summary: 'Liveness: the process answers' }),
  );
}

function method(name: keyof HealthController, ...decorators: MethodDecorator[]): void {
  const descriptor = Object.getOwnPropertyDescriptor(HealthController.prototype, name)!;
  for (const decorate of decorators) decorate(HealthController.prototype, name, descriptor);
}
