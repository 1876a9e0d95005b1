import { Injectable } from '@nestjs/common';
import { AdminTokenGuard } from './admin-token.guard.js';

/**
 * The admin token for the HTML admin pages under /admin (and Bull Board): Bearer, or HTTP Basic
 * with the token as password so that a browser can open them. A browser sends those credentials
 * with every request to the site, so each write behind this guard must prove it came from the
 * page itself (a CSRF token, or Bull Board's same-origin JSON rule).
 */
@Injectable()
export class AdminPageGuard extends AdminTokenGuard {
  protected override readonly acceptsBasic = true;
}
