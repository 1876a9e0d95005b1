import { ApiProperty } from '@nestjs/swagger';

export class HealthCheckDto {
  @ApiProperty({ enum: ['up', 'down'] })
  status!: 'up' | 'down';
}

export class HealthReportDto {
  @ApiProperty({ enum: ['ok', 'error'] })
  status!: 'ok' | 'error';

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/HealthCheckDto' },
    description:
      'One entry per check. Anonymous callers on the public port see `status` only; with the admin token ' +
      '(or on METRICS_PORT) each check also carries its details: `message` when down, queue counts, limits.',
    example: { database: { status: 'up' }, redis: { status: 'up' } },
  })
  details!: Record<string, HealthCheckDto>;
}
