import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Environment } from '../config/environment.js';
import { clientOf } from '../rate-limit/client-key.js';
import { RateLimitStore } from '../rate-limit/rate-limit.store.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

// The tenth wrong token from one client (an IPv4 address, an IPv6 /64) within 15 minutes locks it
// out of admin for 15 minutes.
const FAILURES_TO_LOCK = 10;
const FAILURE_WINDOW_MS = 15 * 60_000;

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

/** Admin routes: disabled when ADMIN_TOKEN is unset; compared in constant time; failures rate-limited. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(
    env: Environment,
    private readonly limits: RateLimitStore,
  ) {
    this.expected = env.ADMIN_TOKEN ? digest(env.ADMIN_TOKEN) : undefined;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const verdict = await this.judge(req);
    if (verdict === true) return true;
    if (verdict > 0) {
      reply.header('Retry-After', String(verdict));
      throw new HttpException('Too many failed admin logins from your address. Try again later.', HttpStatus.TOO_MANY_REQUESTS);
    }
    reply.header('WWW-Authenticate', 'Basic realm="admin", charset="UTF-8"');
    throw new UnauthorizedException(this.expected ? 'A valid admin token is required' : 'Admin is disabled: set ADMIN_TOKEN to enable it');
  }

  /** For routes that answer everyone but show more to the admin: true for the valid token, never throws. */
  async admits(req: FastifyRequest): Promise<boolean> {
    return (await this.judge(req)) === true;
  }

  /** true when admitted; else the seconds the client stays locked out (0: not locked, just refused). */
  private async judge(req: FastifyRequest): Promise<true | number> {
    // Keyed like the rate limits: IPv6 by /64 (the store keeps only an HMAC of the key).
    const failureKey = `admin-failures:${clientOf(req.ip)}`;
    const lockedFor = await this.limits.blockedFor(failureKey);
    if (lockedFor > 0) return lockedFor;
    const presented = presentedToken(req.headers.authorization);
    // Hashing both sides gives equal lengths, so the comparison time says nothing about the token.
    if (this.expected && presented !== undefined && timingSafeEqual(digest(presented), this.expected)) return true;
    if (presented !== undefined) await this.limits.hit(failureKey, FAILURE_WINDOW_MS, FAILURES_TO_LOCK - 1, FAILURE_WINDOW_MS);
    return 0;
  }
}
