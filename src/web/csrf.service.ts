import { Injectable } from '@nestjs/common';
import { doubleCsrf, type DoubleCsrfUtilities } from 'csrf-csrf';
import type { CookieOptions, Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { Environment } from '../config/environment.js';

const SESSION_COOKIE = 'sid';

/**
 * Signed double-submit CSRF tokens (csrf-csrf), bound to a random per-browser id cookie since
 * the service keeps no sessions.
 */
@Injectable()
export class CsrfService {
  private readonly csrf: DoubleCsrfUtilities;
  private readonly cookieOptions: CookieOptions;

  constructor(env: Environment) {
    const secure = env.NODE_ENV === 'production';
    this.cookieOptions = { httpOnly: true, sameSite: 'lax', secure, path: '/', signed: true };
    this.csrf = doubleCsrf({
      getSecret: () => env.APP_SECRET,
      getSessionIdentifier: (req) => (req.signedCookies?.[SESSION_COOKIE] as string | undefined) ?? '',
      cookieName: secure ? '__Host-csrf' : 'csrf',
      cookieOptions: { httpOnly: true, sameSite: 'lax', secure, path: '/' },
      getCsrfTokenFromRequest: (req) => {
        const token = (req.body as Record<string, unknown> | undefined)?._csrf;
        return typeof token === 'string' ? token : undefined;
      },
    });
  }

  /** The token to put in a form's hidden `_csrf` field (sets the cookies it pairs with). */
  tokenFor(req: Request, res: Response): string {
    if (!req.signedCookies?.[SESSION_COOKIE]) {
      const id = randomBytes(18).toString('base64url');
      res.cookie(SESSION_COOKIE, id, this.cookieOptions);
      req.signedCookies = { ...req.signedCookies, [SESSION_COOKIE]: id };
    }
    return this.csrf.generateCsrfToken(req, res);
  }

  isValid(req: Request): boolean {
    return this.csrf.validateRequest(req);
  }
}
