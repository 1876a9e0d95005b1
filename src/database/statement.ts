import type pg from 'pg';

/** A statement worth preparing: PostgreSQL parses and plans it once per connection, not every time. */
export interface Statement {
  name: string;
  text: string;
}

/** How many parameters SQL text numbers ($1 … $n). */
export const parameterCount = (sql: string): number => Math.max(0, ...Array.from(sql.matchAll(/\$(\d+)/g), (m) => Number(m[1])));

export const statement = (name: string, text: string): Statement => ({ name, text });

export async function runPrepared<T>(client: pg.PoolClient, statement: Statement, values: unknown[]): Promise<T[]> {
  return (await client.query({ name: statement.name, text: statement.text, values })).rows as T[];
}
