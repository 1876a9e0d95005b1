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

/**
 * First path segments whose next segment is a secret (emailed links). The router ignores case and
 * decodes %-escapes, so each segment is compared decoded and lower-cased: `/Confirm/<token>` and
 * `/%63onfirm/<token>` reach the same handler as `/confirm/<token>` and are redacted the same way.
 */
export const TOKENISED_PATH_PREFIXES: readonly string[] = ['confirm', 'password-reset', 'email-change'];

const TOKENISED = new Set(TOKENISED_PATH_PREFIXES);
const SECRET_QUERY_KEYS = new Set(['token', 'code']); // `code`: the sign-in link's one-time code
const MASKED_QUERY_KEYS = new Set(['email']);

/** Everything after a tokenised segment (the token, and whatever may follow it) is replaced. */
function redactPath(path: string): string {
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const name = safeDecode(segments[i]).toLowerCase();
    const slash = name.indexOf('/'); // an escaped slash (%2F) inside one segment
    if (TOKENISED.has(slash >= 0 ? name.slice(0, slash) : name)) {
      if (slash >= 0) return [...segments.slice(0, i), '[REDACTED]'].join('/');
      if (i + 1 < segments.length) return [...segments.slice(0, i + 1), '[REDACTED]'].join('/');
    }
  }
  return path;
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const key = safeDecode(pair.slice(0, eq).replaceAll('+', ' ')).toLowerCase();
      if (SECRET_QUERY_KEYS.has(key)) return `${pair.slice(0, eq)}=[REDACTED]`;
      if (MASKED_QUERY_KEYS.has(key)) return `${pair.slice(0, eq)}=${maskEmail(safeDecode(pair.slice(eq + 1)))}`;
      return pair;
    })
    .join('&');
}

/** A URL as it may be logged: no tokens of emailed links, no `?token=`, no full `?email=` address. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? redactPath(url) : `${redactPath(url.slice(0, q))}?${redactQuery(url.slice(q + 1))}`;
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

/**
 * Nest's start-up chatter (every module initialised, every route mapped: dozens of lines) is logged
 * at debug instead of info, so a start shows a few lines; LOG_LEVEL=debug shows them all again.
 */
export const STARTUP_DETAIL_CONTEXTS: ReadonlySet<string> = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);
const INFO = 30;

function demoteStartupDetail(this: Logger, args: Parameters<pino.LogFn>, method: pino.LogFn, level: number): void {
  const first: unknown = args[0];
  const context = first && typeof first === 'object' ? (first as { context?: unknown }).context : undefined;
  if (level === INFO && typeof context === 'string' && STARTUP_DETAIL_CONTEXTS.has(context)) {
    this.debug(...args);
    return;
  }
  method.apply(this, args);
}

export function loggerOptions(env: Environment): LoggerOptions {
  return {
    level: PINO_LEVEL[env.LOG_LEVEL],
    hooks: { logMethod: demoteStartupDetail },
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    serializers: { req: serializeRequest, res: serializeResponse },
    transport: wantsPretty(env) ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } : undefined,
  };
}

// One root logger per process: the request lines and Nest's Logger write through the same one.
let root: Logger | undefined;

export function createRootLogger(env: Environment): Logger {
  const options = loggerOptions(env);
  // Asynchronous writes to stdout: a request does not wait for its log line to reach the pipe.
  root ??= options.transport ? pino(options) : pino(options, pino.destination({ dest: 1, sync: false }));
  return root;
}
