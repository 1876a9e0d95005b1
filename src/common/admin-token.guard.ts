import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Environment } from '../config/environment.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Reads the presented secret from `Bearer <token>` or HTTP Basic (any user name, the token as password). */
function presentedToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme.toLowerCase() === 'bearer') return value.trim();
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

/** Admin routes: disabled when ADMIN_TOKEN is unset; compared in constant time. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(env: Environment) {
    this.expected = env.ADMIN_TOKEN ? digest(env.ADMIN_TOKEN) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const presented = presentedToken(req.headers.authorization);
    // Hashing both sides gives equal lengths, so the comparison time says nothing about the token.
    if (this.expected && presented !== undefined && timingSafeEqual(digest(presented), this.expected)) return true;
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Basic realm="admin", charset="UTF-8"');
    throw new UnauthorizedException(
      this.expected ? 'A valid admin token is required' : 'Admin is disabled: set ADMIN_TOKEN to enable it',
    );
  }
}
