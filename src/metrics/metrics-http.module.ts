import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsModule } from './metrics.module.js';

/** GET /metrics: the web, and the worker with WORKER_HEALTH_PORT (main.worker.ts loads it then only). */
@Module({
  imports: [MetricsModule],
  controllers: [MetricsController],
})
export class MetricsHttpModule {}
