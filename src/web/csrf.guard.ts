import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CsrfService } from './csrf.service.js';

export const CSRF_FAILED_MESSAGE = 'This form has expired or did not come from this site. Please go back, reload the page and try again.';

/** Every HTML form POST carries the CSRF token of the page that showed it. */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly csrf: CsrfService) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.csrf.isValid(context.switchToHttp().getRequest<FastifyRequest>())) return true;
    throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', code: 'csrf_failed', message: CSRF_FAILED_MESSAGE });
  }
}
