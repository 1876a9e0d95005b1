import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { errorCodes, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { redactUrl } from '../logging/redaction.js';
import { DomainError } from './domain-error.js';

interface ErrorBody {
  statusCode: number;
  error: string;
  /** Stable and machine-readable (the message may change): a module's own code, or one for the kind of refusal. */
  code: string;
  message: string | string[];
}

// Fastify rejects bodies before Nest sees them, and Nest passes on only its message and status.
const BODY_TOO_LARGE = 'The request body is too large (10 kB at most)';
const FASTIFY_MESSAGES = new Map<string, string>([
  [
    new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY().message,
    // Fastify's parser also refuses __proto__ and constructor.prototype keys anywhere in the body.
    'The request body is not valid JSON, or uses a forbidden key (__proto__, constructor)',
  ],
  [new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY().message, 'The request body is empty: send a JSON object'],
  [new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE().message, 'Send the request body as application/json'],
]);

// What Fastify's router refuses before any route runs.
const ROUTER_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'The address is not a valid URL (check its %-escapes)',
  FST_ERR_MAX_PARAM_LENGTH: 'The address is too long',
};

// Codes for refusals that are not a module's DomainError: by what Fastify or Nest refused, else by status.
const FASTIFY_CODES = new Map<string, string>([
  [new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY().message, 'invalid_json'],
  [new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY().message, 'empty_body'],
  [new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE().message, 'unsupported_media_type'],
]);
const ROUTER_CODES: Record<string, string> = { FST_ERR_BAD_URL: 'bad_url', FST_ERR_MAX_PARAM_LENGTH: 'url_too_long' };

/** 404 → "not_found", 429 → "too_many_requests". */
const statusCode = (status: number): string => (HttpStatus[status] ?? 'error').toLowerCase();

const reason = (status: number): string =>
  (HttpStatus[status] ?? 'Error')
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');

// PostgreSQL going away (restart, pg_terminate_backend, network): the request may be retried.
const OUTAGE_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'ECONNREFUSED', 'ECONNRESET']);
const OUTAGE_MESSAGES =
  /Connection terminated|terminating connection|timeout exceeded when trying to connect|Connection is not established|connection error and is not queryable/i;

// TypeORM's way of saying the connection under a transaction died.
const OUTAGE_ERRORS = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

function isOutage(exception: unknown): boolean {
  const e = exception as { code?: string; driverError?: { code?: string }; message?: string; name?: string };
  const code = e?.driverError?.code ?? e?.code;
  return (
    (code !== undefined && OUTAGE_CODES.has(code)) ||
    OUTAGE_ERRORS.has(e?.name ?? '') ||
    OUTAGE_ERRORS.has((exception as object)?.constructor?.name ?? '') ||
    OUTAGE_MESSAGES.test(e?.message ?? '')
  );
}

/**
 * One place that turns any error into the contract's JSON shape under /api (and /health, /metrics),
 * or into the friendly error page elsewhere. Unknown errors are logged and become a plain 500.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /** `pages`: the root Fastify instance, whose view engine is the app's (Bull Board's scope has its own). */
  constructor(private readonly pages: Pick<FastifyInstance, 'view'>) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    void this.respond(exception, ctx.getRequest<FastifyRequest>(), ctx.getResponse<FastifyReply>());
  }

  /** The same answer, for Fastify hooks that Nest's error handling does not reach (Bull Board's routes). */
  async respond(exception: unknown, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    // A client that hung up before its body was read: nobody to answer, and no outage to report (its
    // request line says "request aborted"). An error after a complete request is still logged.
    if (reply.sent || (req.raw.readableAborted && !req.raw.complete)) return;
    const body = this.toBody(exception, req);

    if (body.statusCode === 503) reply.header('Retry-After', '5');
    if (exception instanceof DomainError) for (const [name, value] of Object.entries(exception.headers)) reply.header(name, value);
    reply.status(body.statusCode);
    // reply.send() is not awaited: a reply is thenable, and awaiting it would reject on a client
    // that hung up, from a filter nobody awaits.
    if (/^\/(api|health|metrics|webhooks)(\/|$|\?)/i.test(req.url)) {
      reply.send(body);
      return;
    }
    const message = Array.isArray(body.message) ? body.message.join('. ') : body.message;
    // reply.locals: the page's language, when the request got as far as negotiating it.
    const context = { ...(reply as { locals?: object }).locals, title: body.error, statusCode: body.statusCode, code: body.code, message };
    const page = await this.pages.view('error', context).catch(() => null);
    if (page === null) reply.type('text/plain; charset=utf-8').send(message);
    else reply.type('text/html; charset=utf-8').send(page);
  }

  private toBody(exception: unknown, req: FastifyRequest): ErrorBody {
    if (exception instanceof DomainError) {
      const { status, code, message } = exception as DomainError;
      return { statusCode: status, error: reason(status), code, message };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 413) return { statusCode: status, error: reason(status), code: 'body_too_large', message: BODY_TOO_LARGE };
      const response = exception.getResponse() as string | { message?: string | string[]; code?: string };
      const message = typeof response === 'string' ? response : (response.message ?? exception.message);
      // The validation pipe answers 400 with the list of what is wrong.
      const code =
        (typeof response === 'object' ? response.code : undefined) ??
        FASTIFY_CODES.get(String(message)) ??
        (status === 400 && Array.isArray(message) ? 'invalid_input' : statusCode(status));
      return { statusCode: status, error: reason(status), code, message: FASTIFY_MESSAGES.get(String(message)) ?? message };
    }
    const refused = exception as { statusCode?: number; code?: string };
    if (refused?.code && ROUTER_MESSAGES[refused.code] && typeof refused.statusCode === 'number') {
      const status = refused.statusCode;
      return { statusCode: status, error: reason(status), code: ROUTER_CODES[refused.code], message: ROUTER_MESSAGES[refused.code] };
    }
    if (isOutage(exception)) {
      this.logger.warn({
        requestId: req.id,
        msg: `${req.method} ${redactUrl(req.url)}: dependency unavailable: ${(exception as Error).message}`,
      });
      return {
        statusCode: 503,
        error: reason(503),
        code: 'service_unavailable',
        message: 'The service is briefly unavailable. Please try again in a moment.',
      };
    }
    this.logger.error({
      requestId: req.id,
      msg: `${req.method} ${redactUrl(req.url)} failed`,
      stack: (exception as Error)?.stack ?? String(exception),
    });
    return {
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'internal_server_error',
      message: 'Something went wrong on our side. Please try again.',
    };
  }
}
