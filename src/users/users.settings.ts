import { Expose, Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, Min } from 'class-validator';
import { toInt, toNumber, toBool } from '../config/settings.js';

/** Sign-up links, notices, reminders and the retention of never-confirmed sign-ups. Validated at start-up with the rest (config/load-config.ts). */
export class UsersSettings {
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RESEND_COOLDOWN_SECONDS = 60;

  /** Most confirmation links (sign-up and requested) to one address per 24 h; the cooldown doubles after each. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CONFIRMATION_EMAILS_PER_DAY = 3;

  /** Most "someone tried to sign up with your address" notices to one address per 24 h. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ACCOUNT_NOTICES_PER_DAY = 1;

  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  CONFIRMATION_REMINDER_AFTER_SECONDS = 86400;

  /** Days (fractions allowed) after which never-confirmed users are deleted; 0 keeps them. */
  @Expose()
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  UNCONFIRMED_RETENTION_DAYS = 30;

  @Expose()
  @Transform(toBool)
  @IsBoolean()
  CONFIRM_ON_GET = false;
}

// Every module's settings are read through the one Environment the loader builds from them.
declare module '../config/environment.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Environment extends UsersSettings {}
}
