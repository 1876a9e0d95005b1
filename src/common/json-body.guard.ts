import { type CanActivate, type ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';

/** API writes take JSON only: anything else is a clear 415 rather than an empty body. */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (req.method === 'GET' || req.method === 'HEAD' || req.is('application/json') !== false) return true; // null: no body at all, left to validation
    throw new UnsupportedMediaTypeException('Send the request body as application/json');
  }
}
