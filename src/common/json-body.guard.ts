import { type CanActivate, type ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';

/** API writes take JSON only: anything else is a clear 415 rather than an empty body. */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    // No Content-Type at all means no body: validation then says what is missing.
    if (!req.headers['content-type'] || req.is('application/json')) return true;
    throw new UnsupportedMediaTypeException('Send the request body as application/json');
  }
}
