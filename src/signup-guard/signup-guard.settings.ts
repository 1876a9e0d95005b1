import { Expose, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import type { Environment } from '../config/environment.js';
import { emptyToUndefined, toInt } from '../config/settings.js';

export type ChallengeKind = 'altcha' | 'turnstile' | 'hcaptcha' | 'off';

const lowered = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

const DOMAIN = '(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9-]{2,63}';
const DOMAIN_LIST = new RegExp(`^\\s*${DOMAIN}\\s*(?:,\\s*${DOMAIN}\\s*)*$`, 'i');
const HOST_PORT = '(?:\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d{1,5})?|\\[[0-9a-f:.]+\\](?::\\d{1,5})?|[0-9a-f:]*:[0-9a-f:.]+)';
const HOST_PORT_LIST = new RegExp(`^\\s*${HOST_PORT}\\s*(?:,\\s*${HOST_PORT}\\s*)*$`, 'i');

/** Sign-up abuse defenses: the challenge, the domain lists, the MX check. Validated at start-up with the rest (config/load-config.ts). */
export class SignupGuardSettings {
  /** Guards every request that makes the service email an address an anonymous person typed. */
  @Expose()
  @Transform(lowered)
  @IsIn(['', 'altcha', 'turnstile', 'hcaptcha', 'off'], { message: 'SIGNUP_CHALLENGE must be altcha, turnstile, hcaptcha or off' })
  // '' (unset) becomes NODE_ENV's default in `problem`, once NODE_ENV is known.
  SIGNUP_CHALLENGE = '' as ChallengeKind;

  /** Turnstile's or hCaptcha's secret key (server side). */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SIGNUP_CHALLENGE_SECRET?: string;

  /** Turnstile's or hCaptcha's site key (shown in the page). */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[\w-]{1,100}$/, { message: 'SIGNUP_CHALLENGE_SITE_KEY must be a site key (letters, digits, - and _)' })
  SIGNUP_CHALLENGE_SITE_KEY?: string;

  /** Outside production only: where Turnstile's or hCaptcha's siteverify is called (a local stand-in in tests). */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  SIGNUP_CHALLENGE_VERIFY_URL?: string;

  /** How long an ALTCHA challenge may be solved and submitted. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(3600)
  SIGNUP_CHALLENGE_TTL_SECONDS = 300;

  /**
   * PBKDF2/SHA-256 iterations per attempt; a solver makes about 1,000 attempts (500–1,500). 1000
   * takes a mid-range phone about half a second with the widget's 4 workers (docs/signup-abuse.md).
   */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  SIGNUP_CHALLENGE_COST = 1000;

  @Expose()
  @Transform(lowered)
  @IsIn(['refuse', 'allow'], { message: 'DISPOSABLE_EMAILS must be refuse or allow' })
  DISPOSABLE_EMAILS: 'refuse' | 'allow' = 'refuse';

  /** Comma-separated domains always refused (their subdomains too). */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(DOMAIN_LIST, { message: 'BLOCKED_EMAIL_DOMAINS must be comma-separated domain names such as example.com' })
  BLOCKED_EMAIL_DOMAINS?: string;

  /** Comma-separated domains always accepted (their subdomains too), whatever the other lists say. */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(DOMAIN_LIST, { message: 'ALLOWED_EMAIL_DOMAINS must be comma-separated domain names such as example.com' })
  ALLOWED_EMAIL_DOMAINS?: string;

  @Expose()
  @Transform(lowered)
  @IsIn(['', 'on', 'off'], { message: 'MX_CHECK must be on or off' })
  MX_CHECK = '' as 'on' | 'off';

  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(30_000)
  MX_CHECK_TIMEOUT_MS = 1500;

  /** Comma-separated resolvers (`host[:port]`, IPv6 in brackets with a port); unset = the system's. */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @MinLength(1)
  @Matches(HOST_PORT_LIST, { message: 'DNS_SERVERS must be comma-separated IP addresses, each with an optional :port ([v6]:port)' })
  DNS_SERVERS?: string;

  /** Also gives the unset switches their default, which depends on NODE_ENV (on in production, off elsewhere). */
  static problem(env: Environment): string | null {
    const production = env.NODE_ENV === 'production';
    env.SIGNUP_CHALLENGE ||= production ? 'altcha' : 'off';
    env.MX_CHECK ||= production ? 'on' : 'off';
    const vendor = env.SIGNUP_CHALLENGE === 'turnstile' || env.SIGNUP_CHALLENGE === 'hcaptcha';
    if (vendor && (!env.SIGNUP_CHALLENGE_SECRET || !env.SIGNUP_CHALLENGE_SITE_KEY)) {
      return `SIGNUP_CHALLENGE_SECRET and SIGNUP_CHALLENGE_SITE_KEY are required when SIGNUP_CHALLENGE=${env.SIGNUP_CHALLENGE}`;
    }
    if (env.SIGNUP_CHALLENGE_VERIFY_URL && env.NODE_ENV === 'production') {
      return 'SIGNUP_CHALLENGE_VERIFY_URL is for tests and is refused when NODE_ENV=production';
    }
    return null;
  }
}

// Every module's settings are read through the one Environment the loader builds from them.
declare module '../config/environment.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Environment extends SignupGuardSettings {}
}
