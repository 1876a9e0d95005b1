import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminUserDto } from './dto/admin-user.dto.js';
import { ListUsersQuery } from './dto/list-users.query.js';
import { UsersService } from './users.service.js';
import { AdminApi } from '../admin/admin-api.decorator.js';

@AdminApi('users')
export class AdminUsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'List users, newest first' })
  @ApiOkResponse({ type: [AdminUserDto] })
  async list(@Query() query: ListUsersQuery): Promise<AdminUserDto[]> {
    return (await this.users.list(query)).map((user) => AdminUserDto.from(user));
  }
}
