import { Expose, Transform } from 'class-transformer';
import { IsOptional, IsString, MinLength } from 'class-validator';
import { emptyToUndefined } from '../config/settings.js';

/** The operators' token: Bearer for /api/admin, /metrics and health details; HTTP Basic's password for the admin pages. Unset: admin is off. */
export class AdminSettings {
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16)
  ADMIN_TOKEN?: string;
}

// Every module's settings are read through the one Environment the loader builds from them.
declare module '../config/environment.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Environment extends AdminSettings {}
}
