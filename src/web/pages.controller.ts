import { contextOf } from '../common/request-context.js';
import { Body, Controller, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { emailProblem } from '../common/validation/email-address.js';
import { Environment } from '../config/environment.js';
import { secureCookies } from '../config/secure-cookies.js';
import { REGISTERED_MESSAGE, RESEND_MESSAGE } from '../users/users.messages.js';
import { UsersService } from '../users/users.service.js';
import { CsrfGuard } from './csrf.guard.js';
import { CsrfService } from './csrf.service.js';
import { setFlash, takeFlash } from './flash.js';
import { RateLimit } from '../rate-limit/rate-limit.guard.js';
import { challengeAnswerOf, pageRefusal } from '../signup-guard/form-answer.js';
import { SignupGuardError } from '../signup-guard/signup-guard.errors.js';
import { SignupGuard } from '../signup-guard/signup-guard.service.js';

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
  ) {}

  @Get()
  async home(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await reply.view('home', {
      title: 'Sign up',
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
    const problem = emailProblem(email);
    if (problem) return this.showFormError(req, reply, 'home', 'Sign up', email, problem);
    if (!(await this.admitted(form, email as string, req, reply, 'home', 'Sign up'))) return;
    await this.users.register(email as string, contextOf(req));
    this.redirectWithFlash(reply, '/', REGISTERED_MESSAGE);
  }

  @Get('resend')
  async resendPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await reply.view('resend', { title: 'Get a new link', challenge: this.guard.widget(), csrfToken: this.csrf.tokenFor(req, reply) });
  }

  @Post('resend')
  @RateLimit('resend')
  @UseGuards(CsrfGuard)
  async resend(@Body() form: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const email = form?.email;
    const problem = emailProblem(email);
    if (problem) return this.showFormError(req, reply, 'resend', 'Get a new link', email, problem);
    if (!(await this.admitted(form, email as string, req, reply, 'resend', 'Get a new link'))) return;
    this.users.requestNewLink(email as string, contextOf(req));
    this.redirectWithFlash(reply, '/', RESEND_MESSAGE);
  }

  /** The sign-up guard's verdict; a refusal is shown beside its field (the address, or the anti-bot check) and answers false. */
  private async admitted(
    form: Form,
    email: string,
    req: FastifyRequest,
    reply: FastifyReply,
    view: string,
    title: string,
  ): Promise<boolean> {
    try {
      await this.guard.admit({ email, ...challengeAnswerOf(form), clientIp: req.ip });
      return true;
    } catch (error) {
      if (!(error instanceof SignupGuardError)) throw error;
      const refusal = pageRefusal(error);
      if (refusal.field === 'email') await this.showFormError(req, reply, view, title, email, refusal.message, refusal.status);
      else await this.showFormError(req, reply, view, title, email, undefined, refusal.status, refusal.message);
      return false;
    }
  }

  private async showFormError(
    req: FastifyRequest,
    reply: FastifyReply,
    view: string,
    title: string,
    email: unknown,
    error: string | undefined,
    status = 400,
    challengeError?: string,
  ): Promise<void> {
    await reply.status(status).view(view, {
      title,
      error,
      challengeError,
      email: typeof email === 'string' ? email : '',
      challenge: this.guard.widget(),
      csrfToken: this.csrf.tokenFor(req, reply),
    });
  }

  private redirectWithFlash(reply: FastifyReply, to: string, text: string): void {
    setFlash(reply, { type: 'success', text }, secureCookies(this.env));
    void reply.redirect(to, 303);
  }
}
