import type { ExecutionContext } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AdminTokenGuard } from '../common/admin-token.guard.js';

/**
 * The admin guard's rules (Bearer, or Basic with the token as password; disabled without ADMIN_TOKEN)
 * for plain Express routes that Nest's guards do not reach. A refusal goes to Nest's error handling,
 * so it is the same 401 (with the browser login prompt) as on /admin/users.
 */
export function adminTokenMiddleware(guard: AdminTokenGuard): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const http = { getRequest: () => req, getResponse: () => res, getNext: () => next };
    guard.canActivate({ switchToHttp: () => http } as unknown as ExecutionContext).then(() => next(), next);
  };
}
