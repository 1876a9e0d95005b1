import { type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CsrfGuard } from './csrf.guard.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF check on every write of an admin page controller, so no form of it can be added without one. */
@Injectable()
export class AdminWritesCsrfGuard extends CsrfGuard {
  override canActivate(context: ExecutionContext): boolean {
    return READS.has(context.switchToHttp().getRequest<FastifyRequest>().method) || super.canActivate(context);
  }
}
