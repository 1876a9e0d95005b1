/** BullMQ's PostgreSQL backend keeps every queue in this schema of DATABASE_URL (migrated by `npm run migration:run`). */
export const BULLMQ_SCHEMA = 'bullmq';
