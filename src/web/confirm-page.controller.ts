import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { contextOf } from '../common/request-context.js';
import { WeakPasswordError } from '../passwords/password.errors.js';
import { Environment } from '../config/environment.js';
import { ConfirmationError, type ConfirmationErrorCode } from '../users/confirmation.errors.js';
import { ConfirmationsService } from '../users/confirmations.service.js';
import { CsrfGuard } from './csrf.guard.js';
import { CsrfService } from './csrf.service.js';
import { RateLimit } from '../rate-limit/rate-limit.guard.js';
import { SignupGuard } from '../signup-guard/signup-guard.service.js';
import { AccountError } from '../accounts/account.errors.js';
import { SignInService } from '../accounts/sign-in.service.js';
import { secureCookies } from '../config/secure-cookies.js';
import { setFlash } from './flash.js';
import { setSessionCookie } from './session-cookie.js';

const OUTCOME_FOR_CODE: Record<ConfirmationErrorCode, 'invalid' | 'expired'> = {
  malformed_token: 'invalid',
  unknown_token: 'invalid',
  expired_token: 'expired',
};

/** The outcome of a confirmation that set a password: the person is signed in and goes to /account. */
const SIGNED_IN = 'signed_in';

/**
 * The emailed link. GET only shows a button (mail scanners prefetch links), POST confirms;
 * CONFIRM_ON_GET=true makes GET confirm directly. Confirming with a password signs the person in,
 * as signing in with it would, and lands on /account.
 */
@ApiExcludeController()
@Controller('confirm')
export class ConfirmPageController {
  constructor(
    private readonly confirmations: ConfirmationsService,
    private readonly csrf: CsrfService,
    private readonly env: Environment,
    private readonly guard: SignupGuard,
    private readonly signIns: SignInService,
  ) {}

  @Get(':token')
  @RateLimit('confirm')
  async show(@Param('token') token: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (this.env.CONFIRM_ON_GET) return this.confirm(token, undefined, req, reply);
    await this.render(req, reply, async () => {
      const link = await this.confirmations.inspect(token);
      return link.state === 'already_confirmed' ? 'already_confirmed' : 'pending';
    });
  }

  @Post(':token')
  @RateLimit('confirm')
  @HttpCode(200)
  @UseGuards(CsrfGuard)
  async confirm(
    @Param('token') token: string,
    @Body() form: Record<string, unknown> | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // The optional "Choose a password" field: left empty, the address is confirmed without one.
    const password = typeof form?.password === 'string' && form.password !== '' ? form.password : undefined;
    await this.render(req, reply, async () => {
      const outcome = await this.confirmations.confirm(token, password, contextOf(req));
      if (!outcome.passwordSet) return outcome.status;
      const { userId, credentialsVersion } = outcome;
      // Credentials changed in the moment since (a password reset): confirmed, but no session from it.
      const session = await this.signIns
        .startSession(userId, credentialsVersion, req.headers['user-agent'], contextOf(req))
        .catch((error: unknown) => {
          if (error instanceof AccountError) return null;
          throw error;
        });
      if (!session) return outcome.status;
      setSessionCookie(reply, this.env, session.token, session.expiresAt);
      setFlash(reply, { type: 'success', key: 'flash.confirmedSignedIn' }, secureCookies(this.env));
      return SIGNED_IN;
    });
  }

  private async render(req: FastifyRequest, reply: FastifyReply, outcome: () => Promise<string>): Promise<void> {
    try {
      const state = await outcome();
      if (state === SIGNED_IN) return void reply.redirect('/account', 303);
      const csrfToken = state === 'pending' ? this.csrf.tokenFor(req, reply) : undefined;
      // The canonical path, not req.url: `/Confirm/<token>?x` would carry its variant (and query) along.
      const action = `/confirm/${encodeURIComponent((req.params as { token: string }).token)}`;
      await reply.view('confirm', { titleKey: 'title.confirm', [state]: true, csrfToken, action });
    } catch (error) {
      if (error instanceof WeakPasswordError) {
        // Nothing was confirmed: the same button again, with the reason next to the field.
        const action = `/confirm/${encodeURIComponent((req.params as { token: string }).token)}`;
        const csrfToken = this.csrf.tokenFor(req, reply);
        return void (await reply
          .status(400)
          .view('confirm', { titleKey: 'title.confirm', pending: true, passwordError: error.words, csrfToken, action }));
      }
      if (!(error instanceof ConfirmationError)) throw error;
      await reply.status(error.status).view('confirm', {
        titleKey: 'title.confirmLink',
        [OUTCOME_FOR_CODE[error.code]]: true,
        message: error.words,
        // The page offers a new link: its form runs the sign-up guard like /resend.
        challenge: this.guard.widget(),
        csrfToken: this.csrf.tokenFor(req, reply),
      });
    }
  }
}
