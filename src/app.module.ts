import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from './config/config.module.js';
import type { Environment } from './config/environment.js';
import { REGISTRY, type Registry } from './app.registry.js';
import { DatabaseModule } from './database/database.module.js';
import { MailModule } from './mail/mail.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsPortModule } from './health/metrics-port.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsHttpModule } from './metrics/metrics-http.module.js';
import { QueueBoardModule } from './queue-board/queue-board.module.js';
import { QueueModule } from './queue/queue.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { TokensModule } from './tokens/tokens.module.js';
import { MailApiModule } from './mail/mail-api.module.js';
import { UsersApiModule } from './users/users-api.module.js';
import { AccountsApiModule } from './accounts/accounts-api.module.js';
import { WebModule } from './web/web.module.js';
import { WebhooksApiModule } from './webhooks/webhooks-api.module.js';
import { SesFeedbackApiModule } from './ses-feedback/ses-feedback-api.module.js';
import { OverviewApiModule } from './overview/overview-api.module.js';

/** The web process: REST API under /api, HTML pages, health. It only enqueues; it runs no jobs. */
@Module({})
export class AppModule {
  static forRoot(env: Environment, registry: Registry = REGISTRY): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggingModule,
        DatabaseModule.forRoot(registry.facts),
        QueueModule,
        MailModule.forRoot(registry.emails),
        WebhooksModule.forRoot(registry.webhooks),
        RateLimitModule,
        TokensModule,
        UsersApiModule,
        AccountsApiModule,
        MailApiModule,
        WebhooksApiModule,
        SesFeedbackApiModule,
        OverviewApiModule,
        WebModule,
        HealthModule,
        MetricsHttpModule,
        MetricsPortModule,
        QueueBoardModule,
      ],
    };
  }
}
