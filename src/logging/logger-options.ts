import pino, { type Logger, type LoggerOptions } from 'pino';
import type { Environment } from '../config/environment.js';
import { devLineStream } from './dev-lines.js';
import { redactUrl } from './redaction.js';

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

/** One short line per entry (dev-lines.ts): when asked for, or in development on a terminal. */
function wantsDevLines(env: Environment): boolean {
  if (env.LOG_FORMAT === 'auto') return env.NODE_ENV === 'development' && Boolean(process.stdout.isTTY);
  return env.LOG_FORMAT === 'pretty';
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
  };
}

// One root logger per process: the request lines and Nest's Logger write through the same one.
let root: Logger | undefined;

export function createRootLogger(env: Environment): Logger {
  const options = loggerOptions(env);
  // Asynchronous writes to stdout: a request does not wait for its log line to reach the pipe.
  root ??= pino(options, wantsDevLines(env) ? devLineStream() : pino.destination({ dest: 1, sync: false }));
  return root;
}
