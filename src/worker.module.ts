import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { ConfigModule } from './config/config.module.js';
import type { Environment } from './config/environment.js';
import { REGISTRY, type Registry } from './app.registry.js';
import { DatabaseModule } from './database/database.module.js';
import { MailModule } from './mail/mail.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { MailWorkerModule } from './mail/mail-worker.module.js';
import { QueueModule } from './queue/queue.module.js';
import { RetentionModule } from './retention/retention.module.js';
import { UsersWorkerModule } from './users/users-worker.module.js';
import { WebhooksWorkerModule } from './webhooks/webhooks-worker.module.js';
import { AccountsWorkerModule } from './accounts/accounts-worker.module.js';
import { SesFeedbackWorkerModule } from './ses-feedback/ses-feedback-worker.module.js';
import { OverviewWorkerModule } from './overview/overview-worker.module.js';

/**
 * The worker process: the Mail and Webhooks processors, Users' reminders, the SQS feedback
 * consumer, the sweeps of retention and ended sessions, the funnel's hourly rollup, the metrics they
 * count. Nothing here imports Fastify, Swagger, argon2 or the password list (test/e2e/lean-worker.spec.ts);
 * with WORKER_HEALTH_PORT, worker-http.ts passes the health and /metrics controllers as `http`.
 */
@Module({})
export class WorkerModule {
  static forRoot(env: Environment, registry: Registry = REGISTRY, http: Type[] = []): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggingModule,
        DatabaseModule.forRoot(registry.facts),
        QueueModule,
        MailModule.forRoot(registry.emails),
        WebhooksModule.forRoot(registry.webhooks),
        UsersWorkerModule,
        MailWorkerModule,
        WebhooksWorkerModule,
        SesFeedbackWorkerModule,
        RetentionModule,
        AccountsWorkerModule,
        OverviewWorkerModule,
        MetricsModule,
        ...http,
      ],
    };
  }
}
