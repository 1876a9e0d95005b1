import { ValidatorConstraint, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import { isIP } from 'node:net';
import { endpointForLogs } from './endpoint-for-logs.js';

// Checks of the WEBHOOK_* variables, used as decorators in webhooks.settings.ts. Each message
// starts with the variable's name: the entry points print it as the one line they exit with.

export const DEFAULT_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000];
const MIN_SECRET_BYTES = 24;
const WHSEC = /^whsec_([A-Za-z0-9+/]+={0,2})$/;
const EVENT_TYPE = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

/** `a, b,,c` → ['a', 'b', 'c']; blank → [] (unset keeps the default). */
export const splitList =
  (separator: RegExp) =>
  ({ value }: { value: unknown }): unknown =>
    typeof value === 'string'
      ? value
          .split(separator)
          .map((item) => item.trim())
          .filter((item) => item !== '')
      : value;

/** WEBHOOK_EVENTS: blank or unset means every type. */
export const toEventList = ({ value }: { value: unknown }): unknown => {
  const items = splitList(/,/)({ value });
  return Array.isArray(items) && items.length === 0 ? undefined : items;
};

/** "5,300,1800" → [5, 300, 1800]; anything not a number is kept for the check to name. */
export const toSchedule = ({ value }: { value: unknown }): unknown => {
  const items = splitList(/,/)({ value });
  if (!Array.isArray(items)) return items;
  if (items.length === 0 && typeof value === 'string' && value.trim() === '') return DEFAULT_RETRY_SCHEDULE;
  return items.map((item: string) => (/^\d+(\.\d+)?$/.test(item) ? Number(item) : item));
};

export const isLoopbackHost = (hostname: string): boolean => {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
};

interface WithUrls {
  WEBHOOK_URLS: string[];
}

/** Why one WEBHOOK_URLS entry (the `position`th) is refused, or null. Printed at start-up: no path or query in it. */
export function webhookUrlProblem(entry: string, production: boolean, position = 1): string | null {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return `entry ${position} is not a URL`;
  }
  const shown = endpointForLogs(entry);
  if (url.username || url.password) return `"${shown}": credentials in the URL are not supported`;
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:') {
    if (production) return `"${shown}" must be https in production`;
    return isLoopbackHost(url.hostname) ? null : `"${shown}" must be https (http only for loopback hosts)`;
  }
  return `"${shown}" must be an https URL`;
}

@ValidatorConstraint({ name: 'webhookUrls' })
export class WebhookUrls implements ValidatorConstraintInterface {
  private problem = '';

  // Production refuses http: even for loopback hosts: WebhooksSettings.problem, which sees NODE_ENV.
  validate(value: unknown): boolean {
    if (value === undefined) return true;
    const urls = value as string[];
    for (const [i, entry] of urls.entries()) {
      const problem = webhookUrlProblem(entry, false, i + 1);
      if (problem) return this.refuse(problem);
    }
    const dup = urls.findIndex((url, i) => urls.indexOf(url) !== i);
    return dup >= 0 ? this.refuse(`entry ${dup + 1} ("${endpointForLogs(urls[dup])}") is listed twice`) : true;
  }

  private refuse(problem: string): false {
    this.problem = problem;
    return false;
  }

  defaultMessage(): string {
    return `WEBHOOK_URLS must be comma-separated https URLs: ${this.problem}`;
  }
}

@ValidatorConstraint({ name: 'webhookSecrets' })
export class WebhookSecrets implements ValidatorConstraintInterface {
  private problem = '';

  validate(value: unknown, args: ValidationArguments): boolean {
    const env = args.object as WithUrls;
    const secrets = (value as string[] | undefined) ?? [];
    if (env.WEBHOOK_URLS.length > 0 && secrets.length === 0) return this.refuse('is required when WEBHOOK_URLS is set');
    for (const [i, secret] of secrets.entries()) {
      const match = WHSEC.exec(secret);
      const which = secrets.length > 1 ? ` (secret ${i + 1})` : '';
      if (!match || match[1].length % 4 !== 0) return this.refuse(`must be whsec_ followed by base64${which}`);
      const bytes = Buffer.from(match[1], 'base64').length;
      if (bytes < MIN_SECRET_BYTES) return this.refuse(`must decode to at least ${MIN_SECRET_BYTES} bytes${which}; got ${bytes}`);
    }
    return true;
  }

  private refuse(problem: string): false {
    this.problem = problem;
    return false;
  }

  defaultMessage(): string {
    return `WEBHOOK_SECRET ${this.problem}`;
  }
}

@ValidatorConstraint({ name: 'webhookEvents' })
export class WebhookEventNames implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return value === undefined || (value as string[]).every((name) => EVENT_TYPE.test(name));
  }

  defaultMessage(args: ValidationArguments): string {
    const bad = (args.value as string[]).filter((name) => !EVENT_TYPE.test(name));
    return `WEBHOOK_EVENTS must list event types such as user.registered (got ${bad.join(', ')})`;
  }
}

@ValidatorConstraint({ name: 'retrySchedule' })
export class RetrySchedule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    const delays = value as unknown[];
    return delays.length <= 50 && delays.every((d) => typeof d === 'number' && d <= 7 * 86400);
  }

  defaultMessage(): string {
    return 'WEBHOOK_RETRY_SCHEDULE must be at most 50 comma-separated delays in seconds (each at most 604800)';
  }
}
