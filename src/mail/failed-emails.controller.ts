import { Controller, Get, HttpCode, HttpStatus, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminTokenGuard } from '../common/admin-token.guard.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { OutboxIdParam } from './dto/outbox-id.param.js';
import { FailedEmailDto, RetriedEmailsDto } from './dto/failed-email.dto.js';
import { MailService } from './mail.service.js';

@ApiTags('admin')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponseDto })
@Controller('api/admin/emails')
@UseGuards(AdminTokenGuard)
export class FailedEmailsController {
  constructor(private readonly mail: MailService) {}

  @Get('failed')
  @ApiOperation({ summary: 'Emails that could not be delivered for good, newest first' })
  @ApiOkResponse({ type: [FailedEmailDto] })
  async failed(): Promise<FailedEmailDto[]> {
    return (await this.mail.listFailed()).map((m) => FailedEmailDto.from(m));
  }

  @Post('failed/retry')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Send every failed email again' })
  @ApiOkResponse({ type: RetriedEmailsDto })
  async retryAll(): Promise<RetriedEmailsDto> {
    return { retried: await this.mail.retryFailed() };
  }

  @Post(':id/retry')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Send one failed email again (no-op unless it is failed)' })
  @ApiOkResponse({ type: RetriedEmailsDto })
  async retryOne(@Param() { id }: OutboxIdParam): Promise<RetriedEmailsDto> {
    return { retried: await this.mail.retryFailed([id]) };
  }
}
