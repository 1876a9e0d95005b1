import { Expose, Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { toInt } from '../config/settings.js';

/** Lifetimes of the emailed links that have a setting. Validated at start-up with the rest (config/load-config.ts). */
export class TokensSettings {
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(30 * 86400)
  CONFIRMATION_TTL_SECONDS = 86400;
}

// Every module's settings are read through the one Environment the loader builds from them.
declare module '../config/environment.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Environment extends TokensSettings {}
}
