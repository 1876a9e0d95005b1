import { Expose, Transform } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { toInt, toNumber, emptyToUndefined } from './settings.js';

const DEV_SECRET = 'dev-only-secret-do-not-use-in-production-0123456789';

/**
 * The variables every module reads (the service's address, secret, logs, retention); each module
 * declares and validates its own in `<module>.settings.ts`, merged into this one type and object by
 * the loader (load-config.ts). Both entry points validate them once at start-up.
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
  @IsString()
  @MinLength(1)
  PRODUCT_NAME = 'Sign-up Demo';

  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail({ require_tld: false })
  SUPPORT_EMAIL?: string;

  /** Days (fractions allowed) after which used/expired tokens and sent/failed emails are deleted. */
  @Expose()
  @Transform(toNumber)
  @IsNumber()
  @Min(0.00001)
  RETENTION_DAYS = 30;

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
  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';
  @Expose()
  @IsIn(['auto', 'json', 'pretty'])
  LOG_FORMAT: 'auto' | 'json' | 'pretty' = 'auto';

  static readonly devSecret = DEV_SECRET;
}
