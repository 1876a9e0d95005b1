import { Body, Controller, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiWriteErrors } from '../common/api-write-errors.decorator.js';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { AcceptedResponseDto } from './dto/accepted-response.dto.js';
import type { FastifyRequest } from 'fastify';
import { Environment } from '../config/environment.js';
import { chosenLocale } from '../i18n/locale-choice.js';
import { matchAcceptLanguage } from '../i18n/negotiation.js';
import { RegisterDto } from './dto/register.dto.js';
import { SignupGuard } from '../signup-guard/signup-guard.service.js';
import { ApiSignupGuarded } from '../signup-guard/api-signup-guarded.decorator.js';
import { REGISTERED_MESSAGE } from './users.messages.js';
import { UsersService } from './users.service.js';
import { RateLimit } from '../rate-limit/rate-limit.guard.js';
import { RequestContext } from '../common/request-context.js';

@ApiTags('users')
@Controller('api/users')
@UseGuards(JsonBodyGuard)
@ApiWriteErrors()
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly env: Environment,
    private readonly guard: SignupGuard,
  ) {}

  @Post()
  @RateLimit('register')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Register an address; a confirmation email follows',
    description:
      'Answers the same whether or not the address is already registered. While SIGNUP_CHALLENGE is on, needs a solved challenge ' +
      '(`altcha` from GET /api/challenge, or `captcha`). An unsupported `locale` is refused (400 unsupported_locale) before the challenge is spent.',
  })
  @ApiAcceptedResponse({ type: AcceptedResponseDto })
  @ApiSignupGuarded()
  async register(
    @Body() dto: RegisterDto,
    @Req() req: FastifyRequest,
    @RequestContext() context: RequestContext,
  ): Promise<AcceptedResponseDto> {
    const supported = this.env.SUPPORTED_LOCALES;
    const locale =
      dto.locale !== undefined
        ? chosenLocale(dto.locale, supported)
        : (matchAcceptLanguage(req.headers['accept-language'], supported) ?? supported[0]);
    await this.guard.admit({ ...dto, clientIp: context.clientIp });
    await this.users.register(dto.email, context, locale);
    return { message: REGISTERED_MESSAGE };
  }
}
