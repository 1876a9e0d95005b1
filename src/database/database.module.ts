import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Environment } from '../config/environment.js';
import { databaseOptions } from './database-options.js';
import { DatabaseService } from './database.service.js';
import { FACT_CLASSES, FactBus } from './fact-bus.js';
import type { FactClass } from './fact.js';

/** PostgreSQL and the facts recorded in its transactions, for every module of the process (global). */
@Module({})
export class DatabaseModule {
  /** `facts`: every fact the process knows, from the entry point. */
  static forRoot(facts: readonly FactClass[]): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        DiscoveryModule,
        TypeOrmModule.forRootAsync({
          inject: [Environment],
          useFactory: (env: Environment) => ({ ...databaseOptions(env.DATABASE_URL), retryAttempts: 5, retryDelay: 1000 }),
        }),
      ],
      providers: [{ provide: FACT_CLASSES, useValue: facts }, FactBus, DatabaseService],
      exports: [FactBus, DatabaseService],
    };
  }
}
