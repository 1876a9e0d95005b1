import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/database/migrate.js';
import { addresses, registerAll, tally } from '../support/load.js';
import { sesInbox } from '../support/ses-inbox.js';
import { startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

// A database of this test's own, dropped and created again while Redis keeps the finished jobs.
const databaseUrl = new URL(process.env.DATABASE_URL!);
databaseUrl.pathname = `${databaseUrl.pathname}_reset`;

async function freshDatabase(): Promise<void> {
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${databaseUrl.pathname.slice(1)}" WITH (FORCE)`);
  await client.end();
  await runMigrations(databaseUrl.toString());
}

async function signUpAndCount(stack: Stack, prefix: string): Promise<ReturnType<typeof tally>> {
  const emails = addresses(prefix, 40);
  expect(await registerAll(stack.url, emails)).toEqual(emails.map(() => 202));
  const arrived = () => sesInbox.all().then((all) => tally(all, emails));
  await waitFor(async () => (await arrived()).missing === 0, { timeoutMs: 30_000, what: `40 emails to ${prefix}.*` }).catch(
    () => undefined,
  );
  return arrived();
}

describe('a database reset or restore while Redis keeps its finished jobs', () => {
  let stack: Stack | undefined;
  afterAll(async () => stack?.close());

  it('delivers every email of the new database within 30 s', async () => {
    await freshDatabase();
    stack = await startStack({ DATABASE_URL: databaseUrl.toString() });
    expect(await signUpAndCount(stack, 'before.reset')).toEqual({ delivered: 40, missing: 0, duplicates: 0 });
    await stack.close();

    await freshDatabase();
    stack = await startStack({ DATABASE_URL: databaseUrl.toString() });
    expect(await signUpAndCount(stack, 'after.reset')).toEqual({ delivered: 40, missing: 0, duplicates: 0 });
  }, 90_000);
});
