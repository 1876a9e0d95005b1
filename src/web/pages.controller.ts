import { contextOf } from '../common/request-context.js';
import { Body, Controller, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { emailRefusal } from '../common/validation/email-address.js';
import { words, type Words } from '../common/words.js';
import { Environment } from '../config/environment.js';
import { secureCookies } from '../config/secure-cookies.js';
import { UsersService } from '../users/users.service.js';
import { CsrfGuard } from './csrf.guard.js';
import { CsrfService } from './csrf.service.js';
import { setFlash, takeFlash } from './flash.js';
import { RateLimit } from '../rate-limit/rate-limit.guard.js';
import { localeOf } from './page-locale.hook.js';
import { challengeAnswerOf, pageRefusal } from '../signup-guard/form-answer.js';
import { SignupGuardError } from '../signup-guard/signup-guard.errors.js';
import { SignupGuard } from '../signup-guard/signup-guard.service.js';
import { PageSessions } from './page-sessions.service.js';

type Form = Record<string, unknown> | undefined;

/** The sign-up page and its forms. Business rules live in UsersService. */
@ApiExcludeController()
@Controller()
export class PagesController {
  constructor(
    private readonly users: UsersService,
    private readonly csrf: CsrfService,
    private readonly env: Environment,
    private readonly guard: SignupGuard,
    private readonly pageSessions: PageSessions,
  ) {}

  /** The sign-up form; someone signed in goes to their account instead. */
  @Get()
  async home(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (await this.pageSessions.of(req)) return void reply.redirect('/account', 303);
    await reply.view('home', {
      titleKey: 'title.home',
      flash: takeFlash(req, reply),
      challenge: this.guard.widget(),
      csrfToken: this.csrf.tokenFor(req, reply),
    });
  }

  @Post()
  @RateLimit('register')
  @UseGuards(CsrfGuard)
  async register(@Body() form: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const email = form?.email;
    const problem = emailRefusal(email);
    if (problem) return this.showFormError(req, reply, 'home', 'title.home', email, { error: problem.words });
    if (!(await this.admitted(form, email as string, req, reply, 'home', 'title.home'))) return;
    await this.users.register(email as string, contextOf(req), localeOf(reply, this.env));
    this.redirectWithFlash(reply, '/', words('flash.registered'));
  }

  @Get('resend')
  async resendPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await reply.view('resend', { titleKey: 'title.resend', challenge: this.guard.widget(), csrfToken: this.csrf.tokenFor(req, reply) });
  }

  @Post('resend')
  @RateLimit('resend')
  @UseGuards(CsrfGuard)
  async resend(@Body() form: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const email = form?.email;
    const problem = emailRefusal(email);
    if (problem) return this.showFormError(req, reply, 'resend', 'title.resend', email, { error: problem.words });
    if (!(await this.admitted(form, email as string, req, reply, 'resend', 'title.resend'))) return;
    this.users.requestNewLink(email as string, contextOf(req));
    this.redirectWithFlash(reply, '/', words('flash.resend'));
  }

  /** The sign-up guard's verdict; a refusal is shown beside its field (the address, or the anti-bot check) and answers false. */
  private async admitted(
    form: Form,
    email: string,
    req: FastifyRequest,
    reply: FastifyReply,
    view: string,
    titleKey: string,
  ): Promise<boolean> {
    try {
      await this.guard.admit({ email, ...challengeAnswerOf(form), clientIp: req.ip });
      return true;
    } catch (error) {
      if (!(error instanceof SignupGuardError)) throw error;
      const refusal = pageRefusal(error);
      const shown = refusal.field === 'email' ? { error: refusal.words } : { challengeError: refusal.words };
      await this.showFormError(req, reply, view, titleKey, email, shown, refusal.status);
      return false;
    }
  }

  private async showFormError(
    req: FastifyRequest,
    reply: FastifyReply,
    view: string,
    titleKey: string,
    email: unknown,
    errors: { error?: Words; challengeError?: Words },
    status = 400,
  ): Promise<void> {
    await reply.status(status).view(view, {
      titleKey,
      ...errors,
      email: typeof email === 'string' ? email : '',
      challenge: this.guard.widget(),
      csrfToken: this.csrf.tokenFor(req, reply),
    });
  }

  private redirectWithFlash(reply: FastifyReply, to: string, message: Words): void {
    setFlash(reply, { type: 'success', ...message }, secureCookies(this.env));
    void reply.redirect(to, 303);
  }
}
