import { Expose } from 'class-transformer';
import { IsUrl } from 'class-validator';

/** Where PostgreSQL is. Validated at start-up with the rest (config/load-config.ts); the migration command reads it alone. */
export class DatabaseSettings {
  @Expose()
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/app';
}

// Every module's settings are read through the one Environment the loader builds from them.
declare module '../config/environment.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Environment extends DatabaseSettings {}
}
