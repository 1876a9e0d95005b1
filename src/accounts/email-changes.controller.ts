import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiWriteErrors } from '../common/api-write-errors.decorator.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { RateLimit } from '../rate-limit/rate-limit.guard.js';
import { EmailResultDto, LinkTokenDto } from './dto/accounts.dto.js';
import { EmailChangeService } from './email-change.service.js';
import { RequestContext } from '../common/request-context.js';

@ApiTags('email changes')
@Controller('api/email-changes')
@UseGuards(JsonBodyGuard)
@ApiWriteErrors()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Malformed token' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown token' })
@ApiGoneResponse({ type: ErrorResponseDto, description: 'Expired, used or cancelled token' })
export class EmailChangesController {
  constructor(private readonly emailChanges: EmailChangeService) {}

  @Post('confirm')
  @RateLimit('confirm')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Make the change, with the token emailed to the new address',
    description: 'Every other session ends; the old address gets a last notice.',
  })
  @ApiOkResponse({ type: EmailResultDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The address was taken meanwhile: nothing changed' })
  confirm(@Body() dto: LinkTokenDto, @RequestContext() context: RequestContext): Promise<EmailResultDto> {
    return this.emailChanges.confirm(dto.token, context);
  }

  @Post('cancel')
  @RateLimit('confirm')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel the pending change, with the token emailed to the old address' })
  @ApiOkResponse({ type: EmailResultDto, description: 'The address the account keeps' })
  cancel(@Body() dto: LinkTokenDto, @RequestContext() context: RequestContext): Promise<EmailResultDto> {
    return this.emailChanges.cancel(dto.token, context);
  }
}
