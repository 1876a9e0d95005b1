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

type Form = Record<string, unknown> | undefined;

/** The sign-up page and its forms. Business rules live in UsersService. */
@ApiExcludeController()
@Controller()
export class PagesController {
  constructor(
    private readonly users: UsersService,
    private readonly csrf: CsrfService,
    private readonly env: Environment,
  ) {}

  @Get()
  async home(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await reply.view('home', { title: 'Sign up', flash: takeFlash(req, reply), csrfToken: this.csrf.tokenFor(req, reply) });
  }

  @Post()
  @RateLimit('register')
  @UseGuards(CsrfGuard)
  async register(@Body() form: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const email = form?.email;
    const problem = emailProblem(email);
    if (problem) return this.showFormError(req, reply, 'home', 'Sign up', email, problem);
    await this.users.register(email as string, contextOf(req));
    this.redirectWithFlash(reply, '/', REGISTERED_MESSAGE);
  }

  @Get('resend')
  async resendPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await reply.view('resend', { title: 'Get a new link', csrfToken: this.csrf.tokenFor(req, reply) });
  }

  @Post('resend')
  @RateLimit('resend')
  @UseGuards(CsrfGuard)
  async resend(@Body() form: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const email = form?.email;
    const problem = emailProblem(email);
    if (problem) return this.showFormError(req, reply, 'resend', 'Get a new link', email, problem);
    this.users.requestNewLink(email as string, contextOf(req));
    this.redirectWithFlash(reply, '/', RESEND_MESSAGE);
  }

  private async showFormError(
    req: FastifyRequest,
    reply: FastifyReply,
    view: string,
    title: string,
    email: unknown,
    error: string,
  ): Promise<void> {
    await reply.status(400).view(view, {
      title,
      error,
      email: typeof email === 'string' ? email : '',
      csrfToken: this.csrf.tokenFor(req, reply),
    });
  }

  private redirectWithFlash(reply: FastifyReply, to: string, text: string): void {
    setFlash(reply, { type: 'success', text }, secureCookies(this.env));
    void reply.redirect(to, 303);
  }
}
