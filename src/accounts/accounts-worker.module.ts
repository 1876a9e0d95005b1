import { Module } from '@nestjs/common';
import { ExpiredSessionsSweep } from './sessions/expired-sessions.sweep.js';
import { SessionsRepository } from './sessions/sessions.repository.js';
import { SessionsService } from './sessions/sessions.service.js';

/**
 * What Accounts runs in the worker process: the sweep of ended sessions. (The worker records no
 * account fact, so the credentials policy and sign-in stay in AccountsModule, in the web.)
 */
@Module({
  providers: [SessionsService, SessionsRepository, ExpiredSessionsSweep],
})
export class AccountsWorkerModule {}
