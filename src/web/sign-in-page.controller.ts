import { Body, Controller, Get, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountError } from '../accounts/account.errors.js';
import { SessionsService } from '../accounts/sessions/sessions.service.js';
import { SignInService } from '../accounts/sign-in.service.js';
import { contextOf } from '../common/request-context.js';
import { emailRefusal } from '../common/validation/email-address.js';
import { words } from '../common/words.js';
import { Environment } from '../config/environment.js';
import { secureCookies } from '../config/secure-cookies.js';
import { RateLimit } from '../rate-limit/rate-limit.guard.js';
import { challengeAnswerOf, pageRefusal } from '../signup-guard/form-answer.js';
import { SignupGuardError } from '../signup-guard/signup-guard.errors.js';
import { SignupGuard } from '../signup-guard/signup-guard.service.js';
import { CsrfGuard } from './csrf.guard.js';
import { CsrfService } from './csrf.service.js';
import { setFlash, takeFlash } from './flash.js';
import { PageSessions } from './page-sessions.service.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';

type Form = Record<string, unknown> | undefined;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Sign-in (password, or an emailed code) and sign-out. Business rules live in Accounts. */
@ApiExcludeController()
@Controller()
export class SignInPageController {
  constructor(
    private readonly signIns: SignInService,
    private readonly sessions: SessionsService,
    private readonly csrf: CsrfService,
    private readonly env: Environment,
    private readonly guard: SignupGuard,
    private readonly pageSessions: PageSessions,
  ) {}

  /** The emailed code's link lands here with the form filled in; the GET itself changes nothing. Someone signed in goes to their account. */
  @Get('sign-in')
  async page(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (await this.pageSessions.of(req)) return void reply.redirect('/account', 303);
    const code = text(query.code).slice(0, 32);
    await this.render(req, reply, 200, {
      email: text(query.email).slice(0, 320),
      code,
      codeMode: code !== '',
      flash: takeFlash(req, reply),
    });
  }

  @Post('sign-in')
  @RateLimit('sign-in')
  @UseGuards(CsrfGuard)
  async signIn(@Body() form: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const email = text(form?.email);
    const code = text(form?.code).trim();
    const password = text(form?.password);
    const codeMode = form?.mode === 'code';
    const problem = emailRefusal(email);
    if (problem) return this.render(req, reply, 400, { email, code, codeMode, emailError: problem.words });
    if (codeMode ? code === '' : password === '') {
      const error = words(codeMode ? 'signIn.enterCode' : 'signIn.enterPassword');
      return this.render(req, reply, 400, { email, code, codeMode, [codeMode ? 'codeError' : 'passwordError']: error });
    }
    try {
      const proof = codeMode ? { code } : { password };
      const session = await this.signIns.signIn(email, proof, req.headers['user-agent'], contextOf(req));
      setSessionCookie(reply, this.env, session.token, session.expiresAt);
      void reply.redirect('/account', 303);
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      if (error.code === 'too_many_attempts') reply.header('Retry-After', error.headers['Retry-After']);
      await this.render(req, reply, error.status, { email, codeMode, [codeMode ? 'codeError' : 'passwordError']: error.words });
    }
  }

  @Post('sign-in/code')
  @RateLimit('sign-in-code')
  @UseGuards(CsrfGuard)
  async requestCode(@Body() form: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const email = text(form?.email);
    const problem = emailRefusal(email);
    if (problem) return this.render(req, reply, 400, { email, codeMode: true, requestEmailError: problem.words });
    try {
      await this.guard.admit({ email, ...challengeAnswerOf(form), clientIp: req.ip });
    } catch (error) {
      if (!(error instanceof SignupGuardError)) throw error;
      const refusal = pageRefusal(error);
      const shown = refusal.field === 'email' ? { requestEmailError: refusal.words } : { challengeError: refusal.words };
      return this.render(req, reply, refusal.status, { email, codeMode: true, ...shown });
    }
    this.signIns.requestCode(email, contextOf(req));
    await this.render(req, reply, 200, { email, codeMode: true, flash: { type: 'info', key: 'flash.signInCode' } });
  }

  @Post('sign-out')
  @UseGuards(CsrfGuard)
  async signOut(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const signedIn = await this.pageSessions.of(req);
    if (signedIn) await this.sessions.revoke(signedIn.session.id);
    clearSessionCookie(reply, this.env);
    setFlash(reply, { type: 'info', key: 'flash.signedOut' }, secureCookies(this.env));
    void reply.redirect('/sign-in', 303);
  }

  private async render(req: FastifyRequest, reply: FastifyReply, status: number, context: Record<string, unknown>): Promise<void> {
    await reply.status(status).view('sign-in', {
      titleKey: 'title.signIn',
      ...context,
      challenge: this.guard.widget(),
      csrfToken: this.csrf.tokenFor(req, reply),
    });
  }
}
