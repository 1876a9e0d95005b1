import type { DataSourceOptions } from 'typeorm';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema.js';
import { OutboxRetryGeneration1764100000000 } from './migrations/1764100000000-outbox-retry-generation.js';
import { OutboxRequestId1764200000000 } from './migrations/1764200000000-outbox-request-id.js';
import { OutboxUnsentIndex1764300000000 } from './migrations/1764300000000-outbox-unsent-index.js';
import { MessageKinds1764400000000 } from './migrations/1764400000000-message-kinds.js';
import { OutboxFirstContact1764500000000 } from './migrations/1764500000000-outbox-first-contact.js';
import { Webhooks1764600000000 } from './migrations/1764600000000-webhooks.js';
import { Accounts1764800000000 } from './migrations/1764800000000-accounts.js';
import { SesFeedback1764700000000 } from './migrations/1764700000000-ses-feedback.js';
import { PostgresSharedState1764900000000 } from './migrations/1764900000000-postgres-shared-state.js';
import { CredentialChanges1765000000000 } from './migrations/1765000000000-credential-changes.js';
import { UserLocale1766000000000 } from './migrations/1766000000000-user-locale.js';
import { FunnelStats1767000000000 } from './migrations/1767000000000-funnel-stats.js';
import { OutboxAfterDeletion1768000000000 } from './migrations/1768000000000-outbox-after-deletion.js';
import { WebhookFailedAt1769000000000 } from './migrations/1769000000000-webhook-failed-at.js';

// Classes, not globs: TypeORM loads globs with native import(), which fails on .ts under Vitest.
export const migrations = [
  InitialSchema1764000000000,
  OutboxRetryGeneration1764100000000,
  OutboxRequestId1764200000000,
  OutboxUnsentIndex1764300000000,
  MessageKinds1764400000000,
  OutboxFirstContact1764500000000,
  Webhooks1764600000000,
  Accounts1764800000000,
  SesFeedback1764700000000,
  PostgresSharedState1764900000000,
  CredentialChanges1765000000000,
  UserLocale1766000000000,
  FunnelStats1767000000000,
  OutboxAfterDeletion1768000000000,
  WebhookFailedAt1769000000000,
];

/** The one set of options used by the app, the migration command and the tests. */
export function databaseOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    // No entities: TypeORM runs the migrations and lends its pool; repositories use prepared statements (DatabaseService).
    entities: [],
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    // pg pool: enough for the web's request concurrency and the worker's jobs at once.
    extra: { max: 20, connectionTimeoutMillis: 5000 },
  };
}
