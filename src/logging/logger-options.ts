import pino, { type Logger, type LoggerOptions } from 'pino';
import { maskEmail } from '../common/mask-email.js';
import type { Environment } from '../config/environment.js';

const PINO_LEVEL: Record<Environment['LOG_LEVEL'], pino.Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** Secrets that must never reach a line, wherever they appear in a logged object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'req.body',
  'body',
  'token',
  'email',
  'password',
];

// A malformed escape (`?email=%E0`) must not turn a log line into a 500.
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** `/confirm/<token>` and `?email=ada@x.org` as they may appear in a logged URL, without the secret parts. */
export function redactUrl(url: string): string {
  return url
    .replace(/\/confirm\/[^/?#]+/g, '/confirm/[REDACTED]')
    .replace(/([?&](?:email|token)=)([^&#]*)/gi, (_m, key: string, value: string) =>
      key.toLowerCase().includes('email') ? key + maskEmail(safeDecode(value)) : `${key}[REDACTED]`,
    );
}

interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  remoteAddress?: string;
}

/** A request as logged: no headers (cookies, authorization), no body, URL without tokens or full addresses. */
export function serializeRequest(req: SerializedRequest) {
  return {
    id: req.id,
    method: req.method,
    url: redactUrl(req.url ?? ''),
    userAgent: req.headers?.['user-agent'],
    remoteAddress: req.remoteAddress,
  };
}

export const serializeResponse = (res: { statusCode?: number }) => ({ statusCode: res.statusCode });

/** pino-pretty is a dev dependency: used when asked for, or in development on a terminal, and only if installed. */
function wantsPretty(env: Environment): boolean {
  if (env.LOG_FORMAT === 'json') return false;
  if (env.LOG_FORMAT === 'auto' && !(env.NODE_ENV === 'development' && process.stdout.isTTY)) return false;
  try {
    import.meta.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

export function loggerOptions(env: Environment): LoggerOptions {
  return {
    level: PINO_LEVEL[env.LOG_LEVEL],
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    serializers: { req: serializeRequest, res: serializeResponse },
    transport: wantsPretty(env) ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } : undefined,
  };
}

// The process's root logger, kept so work outside HTTP requests (queue jobs) can log with their own fields.
let root: Logger | undefined;

export function createRootLogger(env: Environment): Logger {
  const options = loggerOptions(env);
  // Asynchronous writes to stdout: a request does not wait for its log line to reach the pipe.
  root ??= options.transport ? pino(options) : pino(options, pino.destination({ dest: 1, sync: false }));
  return root;
}

export const rootLogger = (): Logger | undefined => root;
