import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiWriteErrors } from '../common/api-write-errors.decorator.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { ConfirmationsService } from './confirmations.service.js';
import { AcceptedResponseDto } from './dto/accepted-response.dto.js';
import { ConfirmDto, ConfirmationResultDto } from './dto/confirm.dto.js';
import { EmailDto } from './dto/email.dto.js';
import { SignupGuard } from '../signup-guard/signup-guard.service.js';
import { ApiSignupGuarded } from '../signup-guard/api-signup-guarded.decorator.js';
import { RESEND_MESSAGE } from './users.messages.js';
import { UsersService } from './users.service.js';
import { RateLimit } from '../rate-limit/rate-limit.guard.js';
import { RequestContext } from '../common/request-context.js';

@ApiTags('confirmations')
@Controller('api/confirmations')
@UseGuards(JsonBodyGuard)
@ApiWriteErrors()
export class ConfirmationsController {
  constructor(
    private readonly confirmations: ConfirmationsService,
    private readonly users: UsersService,
    private readonly guard: SignupGuard,
  ) {}

  @Post()
  @RateLimit('confirm')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Confirm an address with the token from the emailed link' })
  @ApiOkResponse({ type: ConfirmationResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Malformed token, or a weak password (the token stays usable)' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown token' })
  @ApiGoneResponse({ type: ErrorResponseDto, description: 'Expired token' })
  async confirm(@Body() dto: ConfirmDto, @RequestContext() context: RequestContext): Promise<ConfirmationResultDto> {
    const { status, email } = await this.confirmations.confirm(dto.token, dto.password, context);
    return { status, email };
  }

  @Post('resend')
  @RateLimit('resend')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Send a new confirmation link',
    description:
      'Answers the same for unknown, unconfirmed and confirmed addresses. At most one email per address per RESEND_COOLDOWN_SECONDS.',
  })
  @ApiAcceptedResponse({ type: AcceptedResponseDto })
  @ApiSignupGuarded()
  async resend(@Body() dto: EmailDto, @RequestContext() context: RequestContext): Promise<AcceptedResponseDto> {
    await this.guard.admit({ ...dto, clientIp: context.clientIp });
    this.users.requestNewLink(dto.email, context);
    return { message: RESEND_MESSAGE };
  }
}
