import { BadRequestException, type CanActivate, type ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** API writes take a JSON object only: anything else is a clear 4xx rather than an empty body. */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    // No Content-Type at all means no body: validation then says what is missing.
    const contentType = req.headers['content-type'];
    if (!contentType) return true;
    if (contentType.split(';')[0].trim().toLowerCase() !== 'application/json') {
      throw new UnsupportedMediaTypeException('Send the request body as application/json');
    }
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new BadRequestException('The request body must be a JSON object');
    }
    return true;
  }
}
