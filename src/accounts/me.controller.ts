import { SessionTokenAuth } from '../common/api-security.js';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiWriteErrors } from '../common/api-write-errors.decorator.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { RateLimit } from '../rate-limit/rate-limit.guard.js';
import { AcceptedResponseDto } from '../users/dto/accepted-response.dto.js';
import { AccountService } from './account.service.js';
import { EMAIL_CHANGE_MESSAGE, SAME_ADDRESS_MESSAGE } from './accounts.messages.js';
import { ChangePasswordDto, EmailChangeRequestDto, ProfileDto, ProofDto, SessionDto, UpdateMeDto } from './dto/accounts.dto.js';
import { Environment } from '../config/environment.js';
import { chosenLocale } from '../i18n/locale-choice.js';
import { EmailChangeService } from './email-change.service.js';
import { SessionGuard, Session } from './sessions/session.guard.js';
import { type CurrentSession, SessionsService } from './sessions/sessions.service.js';
import { RequestContext } from '../common/request-context.js';

const WRONG_PROOFS =
  'Five wrong passwords (or codes) for the account within 15 minutes (too_many_attempts): Retry-After says when to try again; or over RATE_LIMIT_PER_MINUTE';

@ApiTags('me')
@SessionTokenAuth()
@Controller('api/me')
@UseGuards(JsonBodyGuard, SessionGuard)
@ApiWriteErrors()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No live session (missing, expired or revoked token)' })
export class MeController {
  constructor(
    private readonly account: AccountService,
    private readonly sessions: SessionsService,
    private readonly emailChanges: EmailChangeService,
    private readonly env: Environment,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in account' })
  @ApiOkResponse({ type: ProfileDto })
  profile(@Session() session: CurrentSession): Promise<ProfileDto> {
    return this.account.profile(session);
  }

  @Patch()
  @ApiOperation({
    summary: "Change the account's language",
    description: 'Every later email (subject and body) and the account page are in it.',
  })
  @ApiOkResponse({ type: ProfileDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A locale SUPPORTED_LOCALES does not name (code unsupported_locale)' })
  async update(@Session() session: CurrentSession, @Body() dto: UpdateMeDto): Promise<ProfileDto> {
    await this.account.changeLocale(session, chosenLocale(dto.locale, this.env.SUPPORTED_LOCALES));
    return this.account.profile(session);
  }

  @Get('sessions')
  @ApiOperation({ summary: "The account's live sessions" })
  @ApiOkResponse({ type: [SessionDto] })
  async listSessions(@Session() session: CurrentSession): Promise<SessionDto[]> {
    return (await this.sessions.list(session.userId)).map((s) => ({ ...s, current: s.id === session.id }));
  }

  @Delete('sessions')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out everywhere else: ends every session but this one' })
  @ApiNoContentResponse()
  async revokeOthers(@Session() session: CurrentSession): Promise<void> {
    await this.account.user(session);
    await this.sessions.revokeOthers(session);
  }

  @Put('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Change (or set a first) password',
    description:
      'currentPassword is required when the account has a password; without one, a fresh sign-in code (code). Every other session ends; a notice is emailed.',
  })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Weak password' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: WRONG_PROOFS })
  async changePassword(
    @Session() session: CurrentSession,
    @Body() dto: ChangePasswordDto,
    @RequestContext() context: RequestContext,
  ): Promise<void> {
    await this.account.changePassword(session, { currentPassword: dto.currentPassword, code: dto.code }, dto.newPassword, context);
  }

  @Post('email-changes')
  @RateLimit('email-change')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Change the address',
    description:
      'With the password (or a fresh sign-in code when there is none). A link goes to the new address, a notice with a cancel link to the current one; the answer never says whether the new address is taken.',
  })
  @ApiAcceptedResponse({
    type: AcceptedResponseDto,
    description: 'The link and the notice are on their way (or the address is already the current one)',
  })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description:
      "Nothing was sent (code too_soon): within the account's cooldown, or the new address had its 3 links of the day from any accounts; Retry-After says when to ask again. Also: over RATE_LIMIT_PER_MINUTE, or too many wrong passwords/codes (too_many_attempts)",
  })
  async requestEmailChange(
    @Session() session: CurrentSession,
    @Body() dto: EmailChangeRequestDto,
    @RequestContext() context: RequestContext,
  ): Promise<AcceptedResponseDto> {
    const sent = await this.emailChanges.request(session, dto.email, { password: dto.password, code: dto.code }, context);
    return { message: sent ? EMAIL_CHANGE_MESSAGE : SAME_ADDRESS_MESSAGE };
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete the account',
    description:
      'With the password (or a fresh sign-in code). The user, its tokens, sessions and unsent emails are removed; the address can register again.',
  })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Neither password nor code given' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: WRONG_PROOFS })
  async delete(@Session() session: CurrentSession, @Body() dto: ProofDto, @RequestContext() context: RequestContext): Promise<void> {
    await this.account.delete(session, { password: dto.password, code: dto.code }, context);
  }
}
