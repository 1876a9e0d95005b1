import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { redactUrl } from '../logging/logger-options.js';
import { STATUS_FOR_CODE, AppError } from './app-error.js';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

/** Errors raised below Nest by body-parser and friends carry `status` and `type`. */
interface MiddlewareError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

const MIDDLEWARE_MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON',
  'entity.too.large': 'The request body is too large (10 kB at most)',
  'encoding.unsupported': 'The request body uses an unsupported encoding',
  'charset.unsupported': 'The request body uses an unsupported charset',
  'request.aborted': 'The request was aborted',
};

const reason = (status: number): string =>
  (HttpStatus[status] ?? 'Error')
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');

// PostgreSQL going away (restart, pg_terminate_backend, network): the request may be retried.
const OUTAGE_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'ECONNREFUSED', 'ECONNRESET']);
const OUTAGE_MESSAGES = /Connection terminated|terminating connection|timeout exceeded when trying to connect|Connection is not established/i;

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
 * One place that turns any error into the contract's JSON shape under /api (and /health),
 * or into the friendly error page elsewhere. Unknown errors are logged and become a plain 500.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    if (res.headersSent) return;
    const body = this.toBody(exception, req);

    if (body.statusCode === 503) res.setHeader('Retry-After', '5');
    const wantsJson = /^\/(api|health)(\/|$|\?)/.test(req.originalUrl ?? req.url);
    if (wantsJson) {
      res.status(body.statusCode).json(body);
      return;
    }
    const message = Array.isArray(body.message) ? body.message.join('. ') : body.message;
    res.status(body.statusCode).render('error', { title: body.error, statusCode: body.statusCode, message });
  }

  private toBody(exception: unknown, req: Request): ErrorBody {
    if (exception instanceof AppError) {
      const statusCode = STATUS_FOR_CODE[exception.code];
      return { statusCode, error: reason(statusCode), message: exception.message };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      // Nest re-raises body-parser's limit error with its terse wording.
      if (statusCode === 413) return { statusCode, error: reason(statusCode), message: MIDDLEWARE_MESSAGES['entity.too.large'] };
      const response = exception.getResponse();
      const message =
        typeof response === 'string' ? response : ((response as { message?: string | string[] }).message ?? exception.message);
      return { statusCode, error: reason(statusCode), message };
    }
    const mw = exception as MiddlewareError;
    const status = mw?.status ?? mw?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = (mw.type && MIDDLEWARE_MESSAGES[mw.type]) ?? (mw.expose ? mw.message : undefined) ?? reason(status);
      return { statusCode: status, error: reason(status), message };
    }
    if (isOutage(exception)) {
      this.logger.warn(`${req.method} ${redactUrl(req.path)}: dependency unavailable: ${(exception as Error).message}`);
      return { statusCode: 503, error: reason(503), message: 'The service is briefly unavailable. Please try again in a moment.' };
    }
    this.logger.error(`${req.method} ${redactUrl(req.path)} failed`, (exception as Error)?.stack ?? String(exception));
    return { statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong on our side. Please try again.' };
  }
}
