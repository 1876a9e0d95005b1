import { Expose, Transform } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { toInt, OptionalPort } from '../config/settings.js';
import type { Environment } from '../config/environment.js';

/** The operators' listeners and the sending backlog limit. Validated at start-up with the rest (config/load-config.ts). */
export class HealthSettings {
  @OptionalPort()
  WORKER_HEALTH_PORT?: number;

  /** Web only: an internal listener serving /metrics and health details without the admin token. */
  @OptionalPort()
  METRICS_PORT?: number;

  /** /health/sending answers 503 when more mail jobs than this wait (waiting + delayed); 0 = no limit. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  HEALTH_MAX_BACKLOG = 10_000;

  static problem(env: Environment): string | null {
    return env.METRICS_PORT !== undefined && env.METRICS_PORT === env.PORT
      ? `METRICS_PORT must differ from PORT (got "${env.METRICS_PORT}")`
      : null;
  }
}

// Every module's settings are read through the one Environment the loader builds from them.
declare module '../config/environment.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Environment extends HealthSettings {}
}
