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
    await reply.view('home', { titleKey: 'title.home', flash: takeFlash(req, reply), csrfToken: this.csrf.tokenFor(req, reply) });
  }

  @Post()
  @RateLimit('register')
  @UseGuards(CsrfGuard)
  async register(@Body() form: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const email = form?.email;
    const problem = emailRefusal(email);
    if (problem) return this.showFormError(req, reply, 'home', 'title.home', email, problem.words);
    await this.users.register(email as string, contextOf(req), localeOf(reply, this.env));
    this.redirectWithFlash(reply, '/', words('flash.registered'));
  }

  @Get('resend')
  async resendPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await reply.view('resend', { titleKey: 'title.resend', csrfToken: this.csrf.tokenFor(req, reply) });
  }

  @Post('resend')
  @RateLimit('resend')
  @UseGuards(CsrfGuard)
  async resend(@Body() form: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const email = form?.email;
    const problem = emailRefusal(email);
    if (problem) return this.showFormError(req, reply, 'resend', 'title.resend', email, problem.words);
    this.users.requestNewLink(email as string, contextOf(req));
    this.redirectWithFlash(reply, '/', words('flash.resend'));
  }

  private async showFormError(
    req: FastifyRequest,
    reply: FastifyReply,
    view: string,
    titleKey: string,
    email: unknown,
    error: Words,
  ): Promise<void> {
    await reply.status(400).view(view, {
      titleKey,
      error,
      email: typeof email === 'string' ? email : '',
      csrfToken: this.csrf.tokenFor(req, reply),
    });
  }

  private redirectWithFlash(reply: FastifyReply, to: string, message: Words): void {
    setFlash(reply, { type: 'success', ...message }, secureCookies(this.env));
    void reply.redirect(to, 303);
  }
}
