import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminTokenGuard } from '../common/admin-token.guard.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { AdminUserDto } from './dto/admin-user.dto.js';
import { ListUsersQuery } from './dto/list-users.query.js';
import { UsersService } from './users.service.js';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/admin/users')
@UseGuards(AdminTokenGuard)
export class AdminUsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'List users, newest first' })
  @ApiOkResponse({ type: [AdminUserDto] })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  async list(@Query() query: ListUsersQuery): Promise<AdminUserDto[]> {
    return (await this.users.list(query)).map((user) => AdminUserDto.from(user));
  }
}
