import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Environment } from './environment.js';

/** Makes the validated environment injectable as `Environment` everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: Environment): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: Environment, useValue: config }], exports: [Environment] };
  }
}
