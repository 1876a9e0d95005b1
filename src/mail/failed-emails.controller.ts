import { Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { OutboxIdParam } from './dto/outbox-id.param.js';
import { FailedEmailDto, RetriedEmailsDto } from './dto/failed-email.dto.js';
import { MailService } from './mail.service.js';
import { AdminApi } from '../admin/admin-api.decorator.js';

@AdminApi('emails')
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
