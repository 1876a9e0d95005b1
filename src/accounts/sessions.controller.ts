import { SessionTokenAuth } from '../common/api-security.js';
import { Body, Controller, Delete, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiWriteErrors } from '../common/api-write-errors.decorator.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { RequestContext } from '../common/request-context.js';
import { RateLimit } from '../rate-limit/rate-limit.guard.js';
import { AcceptedResponseDto } from '../users/dto/accepted-response.dto.js';
import { EmailDto } from '../users/dto/email.dto.js';
import { SignupGuard } from '../signup-guard/signup-guard.service.js';
import { ApiSignupGuarded } from '../signup-guard/api-signup-guarded.decorator.js';
import { SIGN_IN_CODE_MESSAGE } from './accounts.messages.js';
import { SessionCreatedDto, SignInDto } from './dto/accounts.dto.js';
import { SessionGuard, Session } from './sessions/session.guard.js';
import { type CurrentSession, SessionsService } from './sessions/sessions.service.js';
import { SignInService } from './sign-in.service.js';

@ApiTags('sessions')
@Controller('api')
@UseGuards(JsonBodyGuard)
@ApiWriteErrors()
export class SessionsController {
  constructor(
    private readonly signIns: SignInService,
    private readonly sessions: SessionsService,
    private readonly guard: SignupGuard,
  ) {}

  @Post('sessions')
  @RateLimit('sign-in')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Sign in with a password or an emailed code',
    description:
      'One 401 for every failure (unknown, unconfirmed, no password, wrong password, wrong code). After 5 failures within 15 minutes for one address: 429 with Retry-After.',
  })
  @ApiCreatedResponse({ type: SessionCreatedDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Too many failures for this address, or requests from this client' })
  async signIn(@Body() dto: SignInDto, @Req() req: FastifyRequest, @RequestContext() context: RequestContext): Promise<SessionCreatedDto> {
    const { token, expiresAt } = await this.signIns.signIn(
      dto.email,
      { password: dto.password, code: dto.code },
      req.headers['user-agent'],
      context,
    );
    return { token, expiresAt };
  }

  @Delete('sessions/current')
  @UseGuards(SessionGuard)
  @SessionTokenAuth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out: ends the session of this request' })
  @ApiNoContentResponse()
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  async signOut(@Session() session: CurrentSession): Promise<void> {
    await this.sessions.revoke(session.id);
  }

  @Post('sign-in-codes')
  @RateLimit('sign-in-code')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Email a one-time sign-in code',
    description:
      'One answer for every address; a code goes only to confirmed addresses, within two budgets: 10 a day per account from one client (IP, or IPv6 /64), and 3 per 10 minutes per account from anyone. A new code voids only the codes the same client asked for before.',
  })
  @ApiAcceptedResponse({ type: AcceptedResponseDto })
  @ApiSignupGuarded()
  async requestCode(@Body() dto: EmailDto, @RequestContext() context: RequestContext): Promise<AcceptedResponseDto> {
    await this.guard.admit({ ...dto, clientIp: context.clientIp });
    this.signIns.requestCode(dto.email, context);
    return { message: SIGN_IN_CODE_MESSAGE };
  }
}
