import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiWriteErrors } from '../common/api-write-errors.decorator.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { RateLimit } from '../rate-limit/rate-limit.guard.js';
import { AcceptedResponseDto } from '../users/dto/accepted-response.dto.js';
import { EmailDto } from '../users/dto/email.dto.js';
import { SignupGuard } from '../signup-guard/signup-guard.service.js';
import { ApiSignupGuarded } from '../signup-guard/api-signup-guarded.decorator.js';
import { PASSWORD_RESET_MESSAGE } from './accounts.messages.js';
import { CompletePasswordResetDto } from './dto/accounts.dto.js';
import { PasswordResetService } from './password-reset.service.js';
import { RequestContext } from '../common/request-context.js';

@ApiTags('password resets')
@Controller('api/password-resets')
@UseGuards(JsonBodyGuard)
@ApiWriteErrors()
export class PasswordResetsController {
  constructor(
    private readonly resets: PasswordResetService,
    private readonly guard: SignupGuard,
  ) {}

  @Post()
  @RateLimit('password-reset')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Email a password-reset link',
    description: 'One answer for every address; a link goes only to confirmed addresses (1 hour, single use).',
  })
  @ApiAcceptedResponse({ type: AcceptedResponseDto })
  @ApiSignupGuarded()
  async request(@Body() dto: EmailDto, @RequestContext() context: RequestContext): Promise<AcceptedResponseDto> {
    await this.guard.admit({ ...dto, clientIp: context.clientIp });
    this.resets.request(dto.email, context);
    return { message: PASSWORD_RESET_MESSAGE };
  }

  @Post('complete')
  @RateLimit('password-reset')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Set a new password with the emailed token',
    description: 'Ends every session of the account and sends a "your password was changed" notice.',
  })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Malformed token, or a weak password (the link stays usable)' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown token' })
  @ApiGoneResponse({ type: ErrorResponseDto, description: 'Expired or already used token' })
  async complete(@Body() dto: CompletePasswordResetDto, @RequestContext() context: RequestContext): Promise<void> {
    await this.resets.complete(dto.token, dto.password, context);
  }
}
