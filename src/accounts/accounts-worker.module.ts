import { Module } from '@nestjs/common';
import { ExpiredSessionsSweep } from './sessions/expired-sessions.sweep.js';
import { SessionsService } from './sessions/sessions.service.js';

/** What Accounts runs in the worker process: the sweep of ended sessions. */
@Module({
  providers: [SessionsService, ExpiredSessionsSweep],
})
export class AccountsWorkerModule {}
