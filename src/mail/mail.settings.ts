import { Expose, Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { toInt, emptyToUndefined } from '../config/settings.js';
import { IsMailFrom } from './mail-from.js';

/** Sending through SES: sender, region, rates, retries, the new-address breaker. Validated at start-up with the rest (config/load-config.ts). */
export class MailSettings {
  /** An address, or a display name and an address: `Acme <no-reply@acme.test>` (mail-from.ts). */
  @Expose()
  @IsMailFrom()
  MAIL_FROM = 'no-reply@example.com';

  @Expose()
  @IsString()
  @MinLength(1)
  AWS_REGION = 'us-east-1';

  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  AWS_ENDPOINT_URL_SES?: string;

  /** Most emails per minute to addresses never seen before (new sign-ups), all workers together; more wait. 0 = no limit. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  NEW_ADDRESS_EMAILS_PER_MINUTE = 600;

  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SES_MAX_SEND_RATE = 14;

  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  SEND_ATTEMPTS = 8;

  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  SEND_BACKOFF_MS = 1000;

  /** After SES answers AccountSendingPaused, how long all workers wait before trying again. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SES_PAUSED_RETRY_SECONDS = 60;
  /** SES configuration set passed on every send (event publishing to SNS/SQS). */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, {
    message: 'SES_CONFIGURATION_SET must be a configuration set name (letters, digits, _ and -, at most 64)',
  })
  SES_CONFIGURATION_SET?: string;
}

// Every module's settings are read through the one Environment the loader builds from them.
declare module '../config/environment.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Environment extends MailSettings {}
}
