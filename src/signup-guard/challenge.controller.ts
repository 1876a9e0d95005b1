import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Challenge } from 'altcha-lib';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { Environment } from '../config/environment.js';
import { RateLimit } from '../rate-limit/rate-limit.guard.js';
import { AltchaChallengeService } from './altcha-challenge.service.js';
import { ChallengeDto } from './dto/challenge.dto.js';

@ApiTags('sign-up challenge')
@Controller('api/challenge')
export class ChallengeController {
  constructor(
    private readonly env: Environment,
    private readonly altcha: AltchaChallengeService,
  ) {}

  @Get()
  @RateLimit('challenge')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'A fresh ALTCHA proof-of-work challenge (while SIGNUP_CHALLENGE=altcha)',
    description:
      "Solve it (the `altcha` widget, or altcha-lib's solveChallenge) and send the base64 payload `{challenge, solution}` in the `altcha` field of POST /api/users, /api/confirmations/resend, /api/sign-in-codes and /api/password-resets. Each solution is accepted once; the challenge expires after SIGNUP_CHALLENGE_TTL_SECONDS.",
  })
  @ApiOkResponse({ type: ChallengeDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'SIGNUP_CHALLENGE is not altcha' })
  challenge(): Promise<Challenge> {
    if (this.env.SIGNUP_CHALLENGE !== 'altcha') throw new NotFoundException('No proof-of-work challenge is in use here');
    return this.altcha.create();
  }
}
