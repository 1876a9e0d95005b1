import { Expose, Transform } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { toInt } from '../config/settings.js';

/** Per-client limits. Validated at start-up with the rest (config/load-config.ts). */
export class RateLimitSettings {
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_MINUTE = 30;
}

// Every module's settings are read through the one Environment the loader builds from them.
declare module '../config/environment.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Environment extends RateLimitSettings {}
}
