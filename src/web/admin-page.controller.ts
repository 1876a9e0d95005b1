import { Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Environment } from '../config/environment.js';
import { secureCookies } from '../config/secure-cookies.js';
import { OutboxIdParam } from '../mail/dto/outbox-id.param.js';
import { contextOf } from '../common/request-context.js';
import { MailService } from '../mail/mail.service.js';
import { SuppressionsService } from '../mail/suppressions.service.js';
import { UserIdParam } from '../users/dto/user-id.param.js';
import { ListUsersQuery } from '../users/dto/list-users.query.js';
import { UsersService } from '../users/users.service.js';
import { AdminPage } from './admin-page.decorator.js';
import { CsrfService } from './csrf.service.js';
import { setFlash, takeFlash } from './flash.js';

/**
 * The tutorial's users table, now behind the admin token (Bearer, or Basic so a browser can open
 * it), with actions on each user (resend the confirmation, lift a suppression, delete) and the
 * emails that failed for good with buttons to send them again.
 */
@AdminPage()
export class AdminPageController {
  constructor(
    private readonly users: UsersService,
    private readonly mail: MailService,
    private readonly suppressions: SuppressionsService,
    private readonly csrf: CsrfService,
    private readonly env: Environment,
  ) {}

  @Get('users')
  async list(@Query() query: ListUsersQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const [users, failed, suppressed] = await Promise.all([this.users.list(query), this.mail.listFailed(), this.suppressions.list()]);
    const suppressedEmails = new Set(suppressed.map((s) => s.email));
    await reply.view('admin-users', {
      title: 'Users',
      nav: { users: true },
      users: users.map((user) => ({ ...user, suppressed: suppressedEmails.has(user.email) })),
      failed,
      email: query.email ?? '',
      flash: takeFlash(req, reply),
      csrfToken: this.csrf.tokenFor(req, reply),
    });
  }

  @Post('users/:id/resend')
  async resend(@Param() { id }: UserIdParam, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.users.findById(id);
    if (user && !user.confirmed) this.users.requestNewLink(user.email, contextOf(req));
    const text = !user
      ? 'There is no such user (any more).'
      : user.confirmed
        ? `${user.email} is confirmed already: nothing was sent.`
        : `A new confirmation link to ${user.email} is on its way, unless one went out within its cooldown.`;
    this.flash(reply, text);
  }

  @Post('users/:id/delete')
  async delete(@Param() { id }: UserIdParam, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.users.findById(id);
    const deleted = await this.users.deleteByAdmin(id, contextOf(req));
    this.flash(reply, deleted && user ? `${user.email} was deleted; the address can sign up again.` : 'There is no such user (any more).');
  }

  @Post('emails/failed/retry')
  async retryAll(@Res() reply: FastifyReply): Promise<void> {
    this.done(reply, (await this.mail.retryFailed()).length);
  }

  @Post('emails/:id/retry')
  async retryOne(@Param() { id }: OutboxIdParam, @Res() reply: FastifyReply): Promise<void> {
    this.done(reply, (await this.mail.retryFailed([id])).length);
  }

  private done(reply: FastifyReply, count: number): void {
    this.flash(reply, count === 0 ? 'Nothing to retry.' : `${count} email${count === 1 ? '' : 's'} queued again.`);
  }

  private flash(reply: FastifyReply, text: string): void {
    setFlash(reply, { type: 'info', text }, secureCookies(this.env));
    void reply.redirect('/admin/users', 303);
  }
}
