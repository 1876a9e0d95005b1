import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Environment } from '../config/environment.js';
import { clientOf } from '../rate-limit/client-key.js';
import { RateLimitStore } from '../rate-limit/rate-limit.store.js';
import { AdminAuthError, type AdminAuthErrorCode } from './admin-auth.errors.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

// The tenth wrong token from one client (an IPv4 address, an IPv6 /64) within 15 minutes locks it
// out of admin for 15 minutes.
const FAILURES_TO_LOCK = 10;
const FAILURE_WINDOW_MS = 15 * 60_000;

interface Presented {
  scheme: 'bearer' | 'basic';
  token: string;
}

/** The secret from `Bearer <token>` or HTTP Basic (any user name, the token as password). */
function presented(header: string | undefined): Presented | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme.toLowerCase() === 'bearer') return { scheme: 'bearer', token: value.trim() };
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? { scheme: 'basic', token: decoded.slice(colon + 1) } : undefined;
  }
  return undefined;
}

/**
 * The admin token as `Authorization: Bearer`: /api/admin, /metrics and health details. Disabled
 * when ADMIN_TOKEN is unset; compared in constant time; failures rate-limited. HTTP Basic is
 * refused here, before the token is looked at: a browser attaches the Basic credentials it keeps
 * for /admin to any request to the site, a form posted by another site too, so only the HTML admin
 * pages, whose writes are CSRF-checked, take it (AdminPageGuard).
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  protected readonly acceptsBasic: boolean = false;
  private readonly expected?: Buffer;

  constructor(
    env: Environment,
    private readonly limits: RateLimitStore,
  ) {
    this.expected = env.ADMIN_TOKEN ? digest(env.ADMIN_TOKEN) : undefined;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const refusal = await this.refusal(context.switchToHttp().getRequest<FastifyRequest>());
    if (refusal) throw refusal;
    return true;
  }

  /** For routes that answer everyone but show more to the admin: true for the valid token, never throws. */
  async admits(req: FastifyRequest): Promise<boolean> {
    return (await this.refusal(req)) === null;
  }

  private async refusal(req: FastifyRequest): Promise<AdminAuthError | null> {
    // Keyed like the rate limits: IPv6 by /64 (the store keeps only an HMAC of the key).
    const failureKey = `admin-failures:${clientOf(req.ip)}`;
    const lockedFor = await this.limits.blockedFor(failureKey);
    if (lockedFor > 0) return new AdminAuthError('admin_locked_out', { 'Retry-After': String(lockedFor) });
    const credentials = presented(req.headers.authorization);
    if (credentials?.scheme === 'basic' && !this.acceptsBasic)
      return this.refuse(this.expected ? 'admin_bearer_required' : 'admin_disabled');
    // Hashing both sides gives equal lengths, so the comparison time says nothing about the token.
    if (this.expected && credentials && timingSafeEqual(digest(credentials.token), this.expected)) return null;
    if (credentials) await this.limits.hit(failureKey, FAILURE_WINDOW_MS, FAILURES_TO_LOCK - 1, FAILURE_WINDOW_MS);
    return this.refuse(this.expected ? 'admin_token_required' : 'admin_disabled');
  }

  private refuse(code: Exclude<AdminAuthErrorCode, 'admin_locked_out'>): AdminAuthError {
    // Basic's challenge makes a browser ask for the token; Bearer's makes it ask nothing.
    const challenge = this.acceptsBasic ? 'Basic realm="admin", charset="UTF-8"' : 'Bearer realm="admin"';
    return new AdminAuthError(code, { 'WWW-Authenticate': challenge });
  }
}
