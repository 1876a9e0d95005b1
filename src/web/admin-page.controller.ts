import { Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AdminTokenGuard } from '../common/admin-token.guard.js';
import { Environment } from '../config/environment.js';
import { OutboxIdParam } from '../mail/dto/outbox-id.param.js';
import { MailService } from '../mail/mail.service.js';
import { ListUsersQuery } from '../users/dto/list-users.query.js';
import { UsersService } from '../users/users.service.js';
import { CsrfGuard } from './csrf.guard.js';
import { CsrfService } from './csrf.service.js';
import { setFlash, takeFlash } from './flash.js';

/**
 * The tutorial's users table, now behind the admin token (Bearer, or Basic so a browser can open
 * it), with the emails that failed for good and buttons to send them again.
 */
@ApiExcludeController()
@Controller('admin')
@UseGuards(AdminTokenGuard)
export class AdminPageController {
  constructor(
    private readonly users: UsersService,
    private readonly mail: MailService,
    private readonly csrf: CsrfService,
    private readonly env: Environment,
  ) {}

  @Get('users')
  async list(@Query() query: ListUsersQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const [users, failed] = await Promise.all([this.users.list(query), this.mail.listFailed()]);
    res.render('admin-users', {
      title: 'Users',
      users,
      failed,
      email: query.email ?? '',
      flash: takeFlash(req, res),
      csrfToken: this.csrf.tokenFor(req, res),
    });
  }

  @Post('emails/failed/retry')
  @UseGuards(CsrfGuard)
  async retryAll(@Res() res: Response): Promise<void> {
    this.done(res, (await this.mail.retryFailed()).length);
  }

  @Post('emails/:id/retry')
  @UseGuards(CsrfGuard)
  async retryOne(@Param() { id }: OutboxIdParam, @Res() res: Response): Promise<void> {
    this.done(res, (await this.mail.retryFailed([id])).length);
  }

  private done(res: Response, count: number): void {
    const text = count === 0 ? 'Nothing to retry.' : `${count} email${count === 1 ? '' : 's'} queued again.`;
    setFlash(res, { type: 'info', text }, this.env.NODE_ENV === 'production');
    res.redirect(303, '/admin/users');
  }
}
