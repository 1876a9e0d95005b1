import { Expose, Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, IsUrl, Matches, Max, Min } from 'class-validator';
import { toInt, toNumber, toBool, emptyToUndefined } from '../config/settings.js';
import type { Environment } from '../config/environment.js';

/** SES feedback: where it comes from, and the suppression and reputation levels. Validated at start-up with the rest (config/load-config.ts). */
export class SesFeedbackSettings {
  /** Comma-separated SNS topic ARNs whose messages POST /webhooks/ses accepts; unset = the endpoint answers 404. */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(
    /^\s*arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}\s*(,\s*arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}\s*)*$/,
    {
      message: 'SES_SNS_TOPIC_ARNS must be comma-separated SNS topic ARNs (arn:aws:sns:<region>:<account>:<name>)',
    },
  )
  SES_SNS_TOPIC_ARNS?: string;

  /** SQS queue the worker reads SES feedback from (long polling). */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  SES_FEEDBACK_QUEUE_URL?: string;

  /** Outside production only: more HTTPS URL prefixes for SNS signing certificates and SubscribeURLs (tests, emulators). */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\s*https:\/\/[^\s,]+\/\s*(,\s*https:\/\/[^\s,]+\/\s*)*$/, {
    message: 'SNS_CERT_URL_PREFIXES must be comma-separated https:// URL prefixes ending in /',
  })
  SNS_CERT_URL_PREFIXES?: string;

  /** Transient bounces within 7 days that suppress an address. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  SES_SOFT_BOUNCE_LIMIT = 3;

  /** true: stop sending when the bounce or complaint rate crosses its pause level, until an admin resumes. */
  @Expose()
  @Transform(toBool)
  @IsBoolean()
  SES_AUTO_PAUSE = false;

  /** The reputation window: this many most recent sends. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  SES_REPUTATION_WINDOW = 10_000;

  /** Fewer sends than this in the window (or since a resume) say nothing about the rates. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SES_REPUTATION_MIN_SENDS = 500;

  @Expose()
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(100)
  SES_BOUNCE_WARN_PERCENT = 4;

  @Expose()
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(100)
  SES_COMPLAINT_WARN_PERCENT = 0.08;

  @Expose()
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(100)
  SES_BOUNCE_PAUSE_PERCENT = 8;

  @Expose()
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(100)
  SES_COMPLAINT_PAUSE_PERCENT = 0.4;

  static problem(env: Environment): string | null {
    return env.NODE_ENV === 'production' && env.SNS_CERT_URL_PREFIXES !== undefined
      ? 'SNS_CERT_URL_PREFIXES is for tests and local emulators and is refused in production (SNS certificates come only from sns.<region>.amazonaws.com)'
      : null;
  }
}

// Every module's settings are read through the one Environment the loader builds from them.
declare module '../config/environment.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Environment extends SesFeedbackSettings {}
}
