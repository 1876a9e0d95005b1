import type { ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminTokenGuard } from './admin-token.guard.js';
import type { HttpExceptionFilter } from '../common/http-exception.filter.js';

/**
 * An admin guard's rules (AdminPageGuard: Bearer, or Basic with the token as password;
 * AdminTokenGuard: Bearer only; both disabled without ADMIN_TOKEN) as a Fastify hook, for routes
 * that Nest's guards do not reach. A refusal is answered by the app's error filter (Bull Board's
 * routes have an error handler of their own), so it is the same 401 as on the routes the guard
 * covers in Nest: with the browser login prompt on Bull Board, as on /admin/users.
 */
export function adminTokenHook(guard: AdminTokenGuard, errors: HttpExceptionFilter) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const http = { getRequest: () => req, getResponse: () => reply };
    try {
      await guard.canActivate({ switchToHttp: () => http } as unknown as ExecutionContext);
      return undefined;
    } catch (error) {
      await errors.respond(error, req, reply);
      return reply;
    }
  };
}
