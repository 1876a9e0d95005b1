import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * Who asked for the work at hand, handed from a controller to the services and the transaction it
 * opens, and from there to whatever the transaction records (an email's log lines name the request
 * that caused it). Passed explicitly rather than through AsyncLocalStorage, whose promise hooks cost
 * the web about 100 µs of CPU per sign-up on Node 20 (bench/README.md).
 */
export interface RequestContext {
  readonly requestId: string | null;
  /** The client's address as the web sees it (TRUST_PROXY applied): whose budget a request spends. */
  readonly clientIp?: string;
}

/** Work a process does on its own: the worker's sweeps and reminders. */
export const SYSTEM_CONTEXT: RequestContext = { requestId: null };

/** The context of a request being handled. */
export const contextOf = (req: FastifyRequest): RequestContext => ({ requestId: req.id, clientIp: req.ip });

/** A handler parameter: the context of the request being handled. */
export const RequestContext = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestContext =>
  contextOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
