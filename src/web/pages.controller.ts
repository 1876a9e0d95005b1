import { Body, Controller, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { emailProblem } from '../common/validation/email-address.js';
import { Environment } from '../config/environment.js';
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
  home(@Req() req: Request, @Res() res: Response): void {
    res.render('home', { title: 'Sign up', flash: takeFlash(req, res), csrfToken: this.csrf.tokenFor(req, res) });
  }

  @Post()
  @RateLimit('register')
  @UseGuards(CsrfGuard)
  async register(@Body() form: Form, @Req() req: Request, @Res() res: Response): Promise<void> {
    const email = form?.email;
    const problem = emailProblem(email);
    if (problem) return this.showFormError(req, res, 'home', 'Sign up', email, problem);
    await this.users.register(email as string);
    this.redirectWithFlash(res, '/', REGISTERED_MESSAGE);
  }

  @Get('resend')
  resendPage(@Req() req: Request, @Res() res: Response): void {
    res.render('resend', { title: 'Get a new link', csrfToken: this.csrf.tokenFor(req, res) });
  }

  @Post('resend')
  @RateLimit('resend')
  @UseGuards(CsrfGuard)
  async resend(@Body() form: Form, @Req() req: Request, @Res() res: Response): Promise<void> {
    const email = form?.email;
    const problem = emailProblem(email);
    if (problem) return this.showFormError(req, res, 'resend', 'Get a new link', email, problem);
    await this.users.requestNewLink(email as string);
    this.redirectWithFlash(res, '/', RESEND_MESSAGE);
  }

  private showFormError(req: Request, res: Response, view: string, title: string, email: unknown, error: string): void {
    res.status(400).render(view, {
      title,
      error,
      email: typeof email === 'string' ? email : '',
      csrfToken: this.csrf.tokenFor(req, res),
    });
  }

  private redirectWithFlash(res: Response, to: string, text: string): void {
    setFlash(res, { type: 'success', text }, this.env.NODE_ENV === 'production');
    res.redirect(303, to);
  }
}
