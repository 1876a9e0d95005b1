import { Expose, Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { toInt } from '../config/settings.js';

/** The password policy. Validated at start-up with the rest (config/load-config.ts). */
export class PasswordsSettings {
  /** Shortest password accepted (NIST SP 800-63B: 8 at least, 15 where the password is the only factor). */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(8)
  @Max(64)
  PASSWORD_MIN_LENGTH = 12;
}

// Every module's settings are read through the one Environment the loader builds from them.
declare module '../config/environment.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Environment extends PasswordsSettings {}
}
