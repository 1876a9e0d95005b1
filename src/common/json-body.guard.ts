import {
  BadRequestException,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Request } from 'express';

// JSON.parse keeps these as own keys; they must never reach code that merges objects.
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

/** API writes take a JSON object only: anything else is a clear 4xx rather than an empty body. */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    // No Content-Type at all means no body: validation then says what is missing.
    if (!req.headers['content-type']) return true;
    if (!req.is('application/json')) throw new UnsupportedMediaTypeException('Send the request body as application/json');
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new BadRequestException('The request body must be a JSON object');
    }
    const forbidden = FORBIDDEN_KEYS.filter((key) => Object.hasOwn(body, key));
    if (forbidden.length > 0) throw new BadRequestException(forbidden.map((key) => `property ${key} should not exist`));
    return true;
  }
}
