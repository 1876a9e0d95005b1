import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Named (prepared) statements on TypeORM's own pg pool, for the few queries that run once per
 * email: PostgreSQL parses and plans each once per connection instead of every time, and the call
 * skips TypeORM's query-runner bookkeeping. Each module still writes and owns its SQL.
 */
@Injectable()
export class PreparedSql {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async query<T = Record<string, unknown>>(name: string, text: string, values: unknown[]): Promise<T[]> {
    const pool = (this.dataSource.driver as unknown as { master: pg.Pool }).master;
    return (await pool.query({ name, text, values })).rows as T[];
  }
}
