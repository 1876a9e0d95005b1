import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccountError } from '../accounts/account.errors.js';
import { AccountService } from '../accounts/account.service.js';
import { type CurrentSession, SessionsService } from '../accounts/sessions/sessions.service.js';
import { Environment } from '../config/environment.js';
import { CsrfService } from './csrf.service.js';
import { readSessionCookie } from './session-cookie.js';

/** Who a page's session cookie signs in: the session and the account's address. */
export interface SignedIn {
  session: CurrentSession;
  email: string;
}

/** What every page's header gets: on the person's own pages, whether someone is signed in (and the sign-out form's token). */
export interface PageHeader {
  sessionHeader: true;
  signedIn?: { email: string; csrfToken: string };
}

/** Paths with no page or with pages of their own: no API, assets, operators' pages (HTTP Basic, not sessions). */
const NO_SESSION_HEADER = /^\/(api|health|metrics|webhooks|static|altcha|admin)(\/|$|\?)/i;

/**
 * The session of a page request, looked up once per request however many ask (the header, the
 * page's controller), so a page costs one session lookup.
 */
@Injectable()
export class PageSessions {
  private readonly found = new WeakMap<FastifyRequest, Promise<SignedIn | null>>();

  constructor(
    private readonly sessions: SessionsService,
    private readonly account: AccountService,
    private readonly csrf: CsrfService,
    private readonly env: Environment,
  ) {}

  /** The cookie's live session and its address; null when nobody is signed in. */
  of(req: FastifyRequest): Promise<SignedIn | null> {
    let found = this.found.get(req);
    if (!found) {
      found = this.lookUp(req);
      this.found.set(req, found);
    }
    return found;
  }

  /** The header's part of a page: signed in (the address, the sign-out form's CSRF token) or not. */
  async header(req: FastifyRequest, reply: FastifyReply): Promise<PageHeader> {
    let signedIn: SignedIn | null = null;
    try {
      signedIn = await this.of(req);
    } catch {
      // The header shows "Sign in" then; a page that needs the session meets the same error itself and answers it.
    }
    return signedIn
      ? { sessionHeader: true, signedIn: { email: signedIn.email, csrfToken: this.csrf.tokenFor(req, reply) } }
      : { sessionHeader: true };
  }

  private async lookUp(req: FastifyRequest): Promise<SignedIn | null> {
    const session = await this.sessions.authenticate(readSessionCookie(req, this.env));
    if (!session) return null;
    try {
      return { session, email: (await this.account.user(session)).email };
    } catch (error) {
      if (error instanceof AccountError) return null; // deleted meanwhile
      throw error;
    }
  }
}

/**
 * Hands every page of the person's own (not the operators') its header state through
 * `reply.locals`, as the page-locale hook does its language; not encapsulated, so it runs for every
 * route after the view engine's hook.
 */
export function pageHeaderPlugin(pages: PageSessions) {
  const plugin = (fastify: FastifyInstance, _options: unknown, done: () => void) => {
    fastify.addHook('onRequest', async (req, reply) => {
      if (NO_SESSION_HEADER.test(req.url)) return;
      reply.locals = { ...reply.locals, ...(await pages.header(req, reply)) };
    });
    done();
  };
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true });
}
