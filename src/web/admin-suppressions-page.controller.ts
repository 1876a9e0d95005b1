import { contextOf } from '../common/request-context.js';
import { Body, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Environment } from '../config/environment.js';
import { secureCookies } from '../config/secure-cookies.js';
import { ReputationGuard } from '../ses-feedback/reputation-guard.service.js';
import { SuppressionsService } from '../mail/suppressions.service.js';
import { AdminPage } from './admin-page.decorator.js';
import { CsrfService } from './csrf.service.js';
import { setFlash, takeFlash } from './flash.js';

type Form = Record<string, unknown> | undefined;

const percent = (rate: number) => `${(rate * 100).toFixed(2)} %`;

/** The suppression list and the reputation guard, with buttons to lift a suppression and to resume sending. */
@AdminPage()
export class AdminSuppressionsPageController {
  constructor(
    private readonly suppressions: SuppressionsService,
    private readonly reputation: ReputationGuard,
    private readonly csrf: CsrfService,
    private readonly env: Environment,
  ) {}

  @Get('suppressions')
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const [suppressions, state] = await Promise.all([this.suppressions.list(), this.reputation.state()]);
    await reply.view('admin-suppressions', {
      title: 'Suppressed addresses',
      nav: { suppressions: true },
      suppressions,
      reputation: { ...state, bounceRate: percent(state.bounceRate), complaintRate: percent(state.complaintRate) },
      flash: takeFlash(req, reply),
      csrfToken: this.csrf.tokenFor(req, reply),
    });
  }

  @Post('suppressions/lift')
  async lift(@Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const email = form?.email;
    const lifted = typeof email === 'string' && email.length <= 320 && (await this.suppressions.lift(email));
    this.done(reply, lifted ? 'Suppression lifted: emails to this address are sent again.' : 'This address was not suppressed.');
  }

  @Post('sending/resume')
  async resume(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.reputation.resume(contextOf(req));
    this.done(reply, 'Sending resumed.');
  }

  private done(reply: FastifyReply, text: string): void {
    setFlash(reply, { type: 'info', text }, secureCookies(this.env));
    void reply.redirect('/admin/suppressions', 303);
  }
}
