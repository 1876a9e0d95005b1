import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiWriteErrors } from '../common/api-write-errors.decorator.js';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { AcceptedResponseDto } from './dto/accepted-response.dto.js';
import { EmailDto } from './dto/email.dto.js';
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
    private readonly guard: SignupGuard,
  ) {}

  @Post()
  @RateLimit('register')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Register an address; a confirmation email follows',
    description:
      'Answers the same whether or not the address is already registered. While SIGNUP_CHALLENGE is on, needs a solved challenge (`altcha` or `captcha`); disposable, blocked and (MX_CHECK=on) mail-less domains are refused, the same for every address.',
  })
  @ApiAcceptedResponse({ type: AcceptedResponseDto })
  @ApiSignupGuarded()
  async register(@Body() dto: EmailDto, @RequestContext() context: RequestContext): Promise<AcceptedResponseDto> {
    await this.guard.admit({ ...dto, clientIp: context.clientIp });
    await this.users.register(dto.email, context);
    return { message: REGISTERED_MESSAGE };
  }
}
