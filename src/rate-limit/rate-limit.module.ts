import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { Environment } from '../config/environment.js';
import { RateLimitStoreModule } from './rate-limit-store.module.js';
import { RateLimitStore } from './rate-limit.store.js';

export const RATE_LIMITED_MESSAGE = 'Too many requests from your address. Please wait a minute and try again.';

/** Redis-backed per-IP limits for the web process; RATE_LIMIT_PER_MINUTE=0 turns them off. */
@Global()
@Module({
  imports: [
    RateLimitStoreModule,
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStoreModule],
      inject: [Environment, RateLimitStore],
      useFactory: (env: Environment, store: RateLimitStore) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: env.RATE_LIMIT_PER_MINUTE }],
        storage: store,
        skipIf: () => env.RATE_LIMIT_PER_MINUTE === 0,
        errorMessage: RATE_LIMITED_MESSAGE,
      }),
    }),
  ],
  exports: [RateLimitStoreModule, ThrottlerModule],
})
export class RateLimitModule {}
