import { Injectable } from '@nestjs/common';
import { doubleCsrf, type DoubleCsrfUtilities } from 'csrf-csrf';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { Environment } from '../config/environment.js';
import { secureCookies } from '../config/secure-cookies.js';
import { readSignedCookie } from './signed-cookie.js';

const SESSION_COOKIE = 'sid';

/**
 * Signed double-submit CSRF tokens (csrf-csrf), bound to a random per-browser id cookie since
 * the service keeps no sessions.
 */
@Injectable()
export class CsrfService {
  private readonly csrf: DoubleCsrfUtilities;
  private readonly cookieOptions: CookieSerializeOptions;
  // The id minted for a browser that had none, so the token made in the same request can bind to it.
  private readonly minted = new WeakMap<object, string>();
  // One token per request: without a cookie each call would make another and set its cookie over the last one's.
  private readonly issued = new WeakMap<object, string>();

  constructor(env: Environment) {
    const secure = secureCookies(env);
    this.cookieOptions = { httpOnly: true, sameSite: 'lax', secure, path: '/', signed: true };
    this.csrf = doubleCsrf({
      getSecret: () => env.APP_SECRET,
      getSessionIdentifier: (req: unknown) => this.browserId(req as FastifyRequest) ?? '',
      cookieName: secure ? '__Host-csrf' : 'csrf',
      cookieOptions: { httpOnly: true, sameSite: 'lax', secure, path: '/' },
      getCsrfTokenFromRequest: (req) => {
        const token = (req as { body?: Record<string, unknown> }).body?._csrf;
        return typeof token === 'string' ? token : undefined;
      },
    });
  }

  /** The token to put in a form's hidden `_csrf` field (sets the cookies it pairs with). */
  tokenFor(req: FastifyRequest, reply: FastifyReply): string {
    const issued = this.issued.get(req);
    if (issued) return issued;
    if (!this.browserId(req)) {
      const id = randomBytes(18).toString('base64url');
      reply.setCookie(SESSION_COOKIE, id, this.cookieOptions);
      this.minted.set(req, id);
    }
    const token = this.csrf.generateCsrfToken(req, reply);
    this.issued.set(req, token);
    return token;
  }

  isValid(req: FastifyRequest): boolean {
    return this.csrf.validateRequest(req);
  }

  private browserId(req: FastifyRequest): string | undefined {
    return readSignedCookie(req, SESSION_COOKIE) ?? this.minted.get(req);
  }
}
