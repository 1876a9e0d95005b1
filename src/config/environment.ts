import { applyDecorators } from '@nestjs/common';
import { Expose, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MinLength,
  Min,
  ValidateIf,
  Validate,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);
const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no', ''].includes(v)) return false;
  return value;
};
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

import {
  DEFAULT_RETRY_SCHEDULE,
  RetrySchedule,
  splitList,
  toEventList,
  toSchedule,
  WebhookEventNames,
  WebhookSecrets,
  WebhookUrls,
} from '../webhooks/webhook-config.js';

/** A port that may be left unset (or empty): then the listener it names is not started. */
const OptionalPort = () =>
  applyDecorators(
    Expose(),
    Transform((v) => toInt({ value: emptyToUndefined(v) })),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(65535),
  );

const DEV_SECRET = 'dev-only-secret-do-not-use-in-production-0123456789';

/**
 * Every variable the service reads, with its default outside production.
 * Both entry points validate it once at start-up (see load-config.ts).
 */
export class Environment {
  /**
   * Unset behaves like `development` here, but the development APP_SECRET and TRUST_PROXY=true
   * need it said explicitly (see load-config.ts): a production process started without it must not
   * run on the published secret.
   */
  @Expose()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Expose()
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/app';

  /** Not read at all with QUEUE_BACKEND=postgres. */
  @Expose()
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /**
   * Where BullMQ and the shared counters (rate limits, sign-in throttle, SES pause) live: `redis`,
   * or `postgres` (BullMQ's PostgreSQL backend in the `bullmq` schema of DATABASE_URL; no Redis at all).
   */
  @Expose()
  @IsIn(['redis', 'postgres'], { message: 'QUEUE_BACKEND must be redis or postgres' })
  QUEUE_BACKEND: 'redis' | 'postgres' = 'redis';

  /**
   * Redis Cluster instead of REDIS_URL: comma-separated `host:port` seed nodes (any masters). The
   * password, user and TLS of REDIS_URL apply to every node. QUEUE_PREFIX must carry a hash tag.
   */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\s*[^\s,:]+:\d+(\s*,\s*[^\s,:]+:\d+)*\s*$/, { message: 'REDIS_CLUSTER_NODES must be comma-separated host:port pairs' })
  REDIS_CLUSTER_NODES?: string;

  /** BullMQ's Redis key prefix; a hash tag such as `{signup}` keeps a queue's keys in one Redis Cluster slot. */
  @Expose()
  @Matches(/^[^\s:]+$/, { message: 'QUEUE_PREFIX must be non-empty, without spaces or colons' })
  QUEUE_PREFIX = 'bull';

  @Expose()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  APP_URL = 'http://localhost:3000';

  @Expose()
  @Transform(emptyToUndefined)
  // Unset: the development value, where NODE_ENV allows it (load-config.ts).
  @ValidateIf((env: Environment) => env.APP_SECRET !== undefined)
  @IsString()
  @MinLength(32, { message: 'APP_SECRET must be at least 32 characters long' })
  APP_SECRET: string = undefined as unknown as string;

  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16)
  ADMIN_TOKEN?: string;

  @Expose()
  @IsEmail({ require_tld: false })
  MAIL_FROM = 'no-reply@example.com';

  @Expose()
  @IsString()
  @MinLength(1)
  PRODUCT_NAME = 'Sign-up Demo';

  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail({ require_tld: false })
  SUPPORT_EMAIL?: string;

  @Expose()
  @IsString()
  @MinLength(1)
  AWS_REGION = 'us-east-1';

  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  AWS_ENDPOINT_URL_SES?: string;

  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(30 * 86400)
  CONFIRMATION_TTL_SECONDS = 86400;

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

  /** Most emails per minute to addresses never seen before (new sign-ups), all workers together; more wait. 0 = no limit. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  NEW_ADDRESS_EMAILS_PER_MINUTE = 600;

  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  CONFIRMATION_REMINDER_AFTER_SECONDS = 86400;

  /** Days (fractions allowed) after which used/expired tokens and sent/failed emails are deleted. */
  @Expose()
  @Transform(toNumber)
  @IsNumber()
  @Min(0.00001)
  RETENTION_DAYS = 30;

  /** Days (fractions allowed) after which never-confirmed users are deleted; 0 keeps them. */
  @Expose()
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  UNCONFIRMED_RETENTION_DAYS = 30;

  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_MINUTE = 30;

  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SES_MAX_SEND_RATE = 14;

  /**
   * Express "trust proxy": which X-Forwarded-For hops to believe for the client IP used by rate
   * limits. `false` (ignore the header), `true` (only with NODE_ENV development or test), a hop count, or
   * addresses/subnets/`loopback`.
   */
  @Expose()
  @Matches(/^(true|false|\d+|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/, {
    message: 'TRUST_PROXY must be true, false, a number of hops, or a comma-separated list of addresses/subnets',
  })
  TRUST_PROXY = 'false';

  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  WORKER_CONCURRENCY = 10;

  @Expose()
  @Transform(toBool)
  @IsBoolean()
  CONFIRM_ON_GET = false;

  /** Shortest password accepted (NIST SP 800-63B: 8 at least, 15 where the password is the only factor). */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(8)
  @Max(64)
  PASSWORD_MIN_LENGTH = 12;

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

  @Expose()
  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

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

  /** An email queued this long ago and still unsent is handed to the queue again (covers a Redis that lost its data). */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(2)
  OUTBOX_REQUEUE_AFTER_SECONDS = 300;

  /** After SES answers AccountSendingPaused, how long all workers wait before trying again. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SES_PAUSED_RETRY_SECONDS = 60;
  @Expose()
  @IsIn(['auto', 'json', 'pretty'])
  LOG_FORMAT: 'auto' | 'json' | 'pretty' = 'auto';

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

  /** Endpoints that receive every webhook event (comma-separated); none = no webhooks. */
  @Expose()
  @Transform(splitList(/,/))
  @Validate(WebhookUrls)
  WEBHOOK_URLS: string[] = [];

  /** Standard Webhooks secrets (`whsec_…`, space-separated): every delivery is signed with each. */
  @Expose()
  @Transform(splitList(/\s+/))
  @Validate(WebhookSecrets)
  WEBHOOK_SECRET: string[] = [];

  /** Event types to send (comma-separated); unset = all. */
  @Expose()
  @Transform(toEventList)
  @Validate(WebhookEventNames)
  WEBHOOK_EVENTS?: string[];

  /** Delays in seconds between delivery attempts; a delivery is given up after one attempt more than there are delays. */
  @Expose()
  @Transform(toSchedule)
  @Validate(RetrySchedule)
  WEBHOOK_RETRY_SCHEDULE: number[] = DEFAULT_RETRY_SCHEDULE;
  /** SES configuration set passed on every send (event publishing to SNS/SQS). */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, {
    message: 'SES_CONFIGURATION_SET must be a configuration set name (letters, digits, _ and -, at most 64)',
  })
  SES_CONFIGURATION_SET?: string;

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

  static readonly devSecret = DEV_SECRET;
}
