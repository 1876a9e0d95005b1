import { Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Environment } from '../config/environment.js';
import { secureCookies } from '../config/secure-cookies.js';
import { OutboxIdParam } from '../mail/dto/outbox-id.param.js';
import { MailService } from '../mail/mail.service.js';
import { ListUsersQuery } from '../users/dto/list-users.query.js';
import { UsersService } from '../users/users.service.js';
import { AdminPage } from './admin-page.decorator.js';
import { CsrfService } from './csrf.service.js';
import { setFlash, takeFlash } from './flash.js';

/**
 * The tutorial's users table, now behind the admin token (Bearer, or Basic so a browser can open
 * it), with the emails that failed for good and buttons to send them again.
 */
@AdminPage()
export class AdminPageController {
  constructor(
    private readonly users: UsersService,
    private readonly mail: MailService,
    private readonly csrf: CsrfService,
    private readonly env: Environment,
  ) {}

  @Get('users')
  async list(@Query() query: ListUsersQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const [users, failed] = await Promise.all([this.users.list(query), this.mail.listFailed()]);
    await reply.view('admin-users', {
      title: 'Users',
      users,
      failed,
      email: query.email ?? '',
      flash: takeFlash(req, reply),
      csrfToken: this.csrf.tokenFor(req, reply),
    });
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
    const text = count === 0 ? 'Nothing to retry.' : `${count} email${count === 1 ? '' : 's'} queued again.`;
    setFlash(reply, { type: 'info', text }, secureCookies(this.env));
    void reply.redirect('/admin/users', 303);
  }
}
