import { Controller, Get, Query, Render, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AdminTokenGuard } from '../common/admin-token.guard.js';
import { ListUsersQuery } from '../users/dto/list-users.query.js';
import { UsersService } from '../users/users.service.js';

/** The tutorial's users table, now behind the admin token (Bearer, or Basic so a browser can open it). */
@ApiExcludeController()
@Controller('admin')
@UseGuards(AdminTokenGuard)
export class AdminPageController {
  constructor(private readonly users: UsersService) {}

  @Get('users')
  @Render('admin-users')
  async list(@Query() query: ListUsersQuery) {
    const users = await this.users.list(query);
    return { title: 'Users', users, email: query.email ?? '' };
  }
}
