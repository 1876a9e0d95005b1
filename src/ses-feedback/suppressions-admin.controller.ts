import { Delete, Get, HttpCode, HttpStatus, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { SuppressionDto } from './dto/suppression.dto.js';
import { ReputationGuard } from './reputation-guard.service.js';
import { SuppressionsService } from '../mail/suppressions.service.js';
import { AdminApi } from '../admin/admin-api.decorator.js';
import { RequestContext } from '../common/request-context.js';

@AdminApi()
export class SuppressionsAdminController {
  constructor(
    private readonly suppressions: SuppressionsService,
    private readonly guard: ReputationGuard,
  ) {}

  @Get('suppressions')
  @ApiOperation({ summary: 'Suppressed addresses (hard bounces, complaints, repeated soft bounces), newest first' })
  @ApiOkResponse({ type: [SuppressionDto] })
  async list(): Promise<SuppressionDto[]> {
    return (await this.suppressions.list()).map((s) => SuppressionDto.from(s));
  }

  @Delete('suppressions/:email')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Lift a suppression: emails to the address are sent again (failed ones can be retried)' })
  @ApiNoContentResponse({ description: 'Lifted' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'The address is not suppressed' })
  async lift(@Param('email') email: string): Promise<void> {
    if (email.length > 320 || !(await this.suppressions.lift(email))) throw new NotFoundException('This address is not suppressed');
  }

  @Post('sending/resume')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Resume sending after an automatic pause (SES_AUTO_PAUSE); rates are judged afresh from the sends after it' })
  @ApiNoContentResponse({ description: 'Sending resumes (within a few seconds on every worker)' })
  async resume(@RequestContext() context: RequestContext): Promise<void> {
    await this.guard.resume(context);
  }
}
