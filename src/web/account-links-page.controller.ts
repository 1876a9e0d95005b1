import { contextOf } from '../common/request-context.js';
import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountError } from '../accounts/account.errors.js';
import { WeakPasswordError } from '../passwords/password.errors.js';
import { EmailChangeService } from '../accounts/email-change.service.js';
import { PasswordResetService } from '../accounts/password-reset.service.js';
import { emailRefusal } from '../common/validation/email-address.js';
import type { Words } from '../common/words.js';
import { Environment } from '../config/environment.js';
import { secureCookies } from '../config/secure-cookies.js';
import { RateLimit } from '../rate-limit/rate-limit.guard.js';
import { challengeAnswerOf, pageRefusal } from '../signup-guard/form-answer.js';
import { SignupGuardError } from '../signup-guard/signup-guard.errors.js';
import { SignupGuard } from '../signup-guard/signup-guard.service.js';
import { CsrfGuard } from './csrf.guard.js';
import { CsrfService } from './csrf.service.js';
import { setFlash, takeFlash } from './flash.js';

type Form = Record<string, unknown> | undefined;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
/** The old address's cancel link, once the change it could cancel was made: what happened and how to get the account back. */
const changedAway = (newEmail: string) => ({ changedAway: true, newEmail, status: 410 });

/**
 * Pages of the emailed account links: password reset and email change (or its cancellation).
 * GETs only show a form, so mail scanners that prefetch links change nothing.
 */
@ApiExcludeController()
@Controller()
export class AccountLinksPageController {
  constructor(
    private readonly resets: PasswordResetService,
    private readonly emailChanges: EmailChangeService,
    private readonly csrf: CsrfService,
    private readonly env: Environment,
    private readonly guard: SignupGuard,
  ) {}

  @Get('password-reset')
  async resetRequestPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await reply.view('password-reset', {
      titleKey: 'title.resetRequest',
      request: true,
      flash: takeFlash(req, reply),
      challenge: this.guard.widget(),
      csrfToken: this.csrf.tokenFor(req, reply),
    });
  }

  @Post('password-reset')
  @RateLimit('password-reset')
  @UseGuards(CsrfGuard)
  async requestReset(@Body() form: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const problem = emailRefusal(form?.email);
    const shown = async (status: number, errors: { error?: Words; challengeError?: Words }) =>
      void (await reply.status(status).view('password-reset', {
        titleKey: 'title.resetRequest',
        request: true,
        email: text(form?.email),
        ...errors,
        challenge: this.guard.widget(),
        csrfToken: this.csrf.tokenFor(req, reply),
      }));
    if (problem) return shown(400, { error: problem.words });
    try {
      await this.guard.admit({ email: text(form?.email), ...challengeAnswerOf(form), clientIp: req.ip });
    } catch (error) {
      if (!(error instanceof SignupGuardError)) throw error;
      const refusal = pageRefusal(error);
      return shown(refusal.status, refusal.field === 'email' ? { error: refusal.words } : { challengeError: refusal.words });
    }
    this.resets.request(text(form?.email), contextOf(req));
    setFlash(reply, { type: 'success', key: 'flash.passwordReset' }, secureCookies(this.env));
    void reply.redirect('/password-reset', 303);
  }

  @Get('password-reset/:token')
  @RateLimit('confirm')
  async resetPage(@Param('token') token: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.resetForm(req, reply, token, async () => (await this.resets.inspect(token)).email);
  }

  @Post('password-reset/:token')
  @RateLimit('password-reset')
  @UseGuards(CsrfGuard)
  async completeReset(
    @Param('token') token: string,
    @Body() form: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      await this.resets.complete(token, text(form?.password), contextOf(req));
    } catch (error) {
      if (error instanceof WeakPasswordError) {
        return this.resetForm(req, reply, token, async () => (await this.resets.inspect(token)).email, error.words);
      }
      return this.resetForm(req, reply, token, () => Promise.reject(error instanceof Error ? error : new Error(String(error))));
    }
    setFlash(reply, { type: 'success', key: 'flash.resetDone' }, secureCookies(this.env));
    void reply.redirect('/sign-in', 303);
  }

  @Get('email-change/:token')
  @RateLimit('confirm')
  async emailChangePage(@Param('token') token: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.emailChangeOutcome(
      req,
      reply,
      async () => {
        const link = await this.emailChanges.inspect(token);
        if (link.action === 'cancel' && link.done) return changedAway(link.newEmail);
        if (link.action === 'cancel') return { cancel: true, newEmail: link.newEmail, oldEmail: link.user.email };
        return link.done
          ? { changed: true, newEmail: link.newEmail }
          : { change: true, newEmail: link.newEmail, oldEmail: link.user.email };
      },
      token,
    );
  }

  @Post('email-change/:token')
  @RateLimit('confirm')
  @HttpCode(200)
  @UseGuards(CsrfGuard)
  async emailChange(@Param('token') token: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.emailChangeOutcome(
      req,
      reply,
      async () => {
        const link = await this.emailChanges.inspect(token);
        if (link.action === 'cancel' && link.done) return changedAway(link.newEmail);
        if (link.action === 'cancel')
          return { cancelled: true, oldEmail: (await this.emailChanges.cancel(token, contextOf(req))).email, newEmail: link.newEmail };
        try {
          return { changed: true, newEmail: (await this.emailChanges.confirm(token, contextOf(req))).email };
        } catch (error) {
          if (error instanceof AccountError && error.code === 'address_taken') return { taken: true, newEmail: link.newEmail, status: 409 };
          throw error;
        }
      },
      token,
    );
  }

  private async resetForm(
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    email: () => Promise<string>,
    error?: Words,
  ): Promise<void> {
    try {
      const address = await email();
      await reply.status(error ? 400 : 200).view('password-reset', {
        titleKey: 'title.resetForm',
        form: true,
        email: address,
        error,
        action: `/password-reset/${encodeURIComponent(token)}`,
        csrfToken: this.csrf.tokenFor(req, reply),
      });
    } catch (failure) {
      if (!(failure instanceof AccountError)) throw failure;
      await reply.status(failure.status).view('password-reset', {
        titleKey: 'title.resetLink',
        broken: true,
        message: failure.words,
        request: true,
        challenge: this.guard.widget(),
        csrfToken: this.csrf.tokenFor(req, reply),
      });
    }
  }

  private async emailChangeOutcome(
    req: FastifyRequest,
    reply: FastifyReply,
    outcome: () => Promise<Record<string, unknown>>,
    token: string,
  ): Promise<void> {
    try {
      const { status, ...context } = await outcome();
      await reply.status(typeof status === 'number' ? status : 200).view('email-change', {
        titleKey: 'title.emailChange',
        ...context,
        action: `/email-change/${encodeURIComponent(token)}`,
        csrfToken: this.csrf.tokenFor(req, reply),
      });
    } catch (failure) {
      if (!(failure instanceof AccountError)) throw failure;
      await reply.status(failure.status).view('email-change', { titleKey: 'title.emailChange', broken: true, message: failure.words });
    }
  }
}
