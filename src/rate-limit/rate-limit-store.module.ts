import { Module } from '@nestjs/common';
import { RateLimitStore } from './rate-limit.store.js';

@Module({ providers: [RateLimitStore], exports: [RateLimitStore] })
export class RateLimitStoreModule {}
