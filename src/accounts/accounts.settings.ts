import { Expose, Transform } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { toInt } from '../config/settings.js';

/** Sessions. Validated at start-up with the rest (config/load-config.ts). */
export class AccountsSettings {
  /** A session unused this long ends (seconds). */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SESSION_IDLE_SECONDS = 604_800;

  /** A session ends this long after sign-in, however active (seconds). */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SESSION_MAX_SECONDS = 2_592_000;
}

// Every module's settings are read through the one Environment the loader builds from them.
declare module '../config/environment.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Environment extends AccountsSettings {}
}
