import { Module } from '@nestjs/common';
import { AltchaAssetsController } from './altcha-assets.controller.js';
import { AltchaChallengeService } from './altcha-challenge.service.js';
import { CaptchaVerifier } from './captcha-verifier.service.js';
import { ChallengeController } from './challenge.controller.js';
import { MxCheck } from './mx-check.service.js';
import { SignupGuard } from './signup-guard.service.js';

/** The sign-up guard (web process only): challenge, domain lists, MX check; GET /api/challenge and the widget's files. */
@Module({
  controllers: [ChallengeController, AltchaAssetsController],
  providers: [SignupGuard, AltchaChallengeService, CaptchaVerifier, MxCheck],
  exports: [SignupGuard],
})
export class SignupGuardModule {}
