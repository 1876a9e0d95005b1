import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AccountError } from '../account.errors.js';
import { type CurrentSession, SessionsService } from './sessions.service.js';

type WithSession = FastifyRequest & { session?: CurrentSession };

/** The token of `Authorization: Bearer <token>`, if any. */
export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** API routes of a signed-in user: `Authorization: Bearer <session token>`, else 401. */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(private readonly sessions: SessionsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WithSession>();
    const session = await this.sessions.authenticate(bearerToken(req));
    if (!session) throw new AccountError('not_signed_in');
    req.session = session;
    return true;
  }
}

/** The session SessionGuard found. */
export const Session = createParamDecorator((_data: unknown, context: ExecutionContext): CurrentSession => {
  const session = context.switchToHttp().getRequest<WithSession>().session;
  if (!session) throw new AccountError('not_signed_in');
  return session;
});
