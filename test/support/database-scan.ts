import { DatabaseService } from '../../src/database/database.service.js';
import { statement } from '../../src/database/statement.js';
import type { Stack } from './stack.js';

const TABLES = statement(
  'test.scan.tables',
  `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
);

// (a Buffer reaches the replacer as its toJSON form, {type: 'Buffer', data})
const hex = (_: string, v: { type?: string; data?: number[] } | null) =>
  v?.type === 'Buffer' && Array.isArray(v.data) ? Buffer.from(v.data).toString('hex') : v;

/**
 * Every row of every table, as one text (binary columns in hex): for promises that the database
 * holds no secret, whatever the tables and columns are called, so a new table is checked too.
 */
export async function everythingStored(stack: Pick<Stack, 'web'>): Promise<string> {
  const db = stack.web.get(DatabaseService);
  let dump = '';
  for (const { name } of await db.query<{ name: string }>(TABLES, [])) {
    dump += JSON.stringify(await db.query(statement(`test.scan.${name}`, `SELECT * FROM "${name}"`), []), hex);
  }
  return dump;
}
