// The embedded PostgreSQL of `npm run dev` runs as a superuser (COPY ... PROGRAM runs shell
// commands), reachable on loopback: its password is random per data directory, kept in a file
// inside it that only its owner can read.
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const FILE = 'dev-superuser-password';
/** What every data directory got before the password was random. */
const OLD_DEFAULT = 'postgres';
const INVALID_PASSWORD = '28P01';

export const newPassword = () => randomBytes(24).toString('base64url');

export function savePassword(dir, password) {
  const file = join(dir, FILE);
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // the mode above applies only to a new file
}

function savedPassword(dir) {
  try {
    return readFileSync(join(dir, FILE), 'utf8').trim();
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

async function connect(port, password) {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    if (error.code === INVALID_PASSWORD) return undefined;
    throw error;
  }
}

/**
 * The password of the running server's superuser. A data directory made before passwords were
 * random (or whose change was cut short) still takes the old default: it is given a random one now.
 */
export async function randomPasswordOf(dir, port) {
  const saved = savedPassword(dir);
  const current = saved && (await connect(port, saved));
  if (current) {
    await current.end();
    return saved;
  }
  const old = await connect(port, OLD_DEFAULT);
  if (!old) throw new Error(`neither ${join(dir, FILE)} nor the old default password opens it; delete the directory to start over`);
  try {
    const password = newPassword();
    // Saved first: if the change never happens, the old default still opens it next time, and the change is tried again.
    savePassword(dir, password);
    await old.query(`ALTER ROLE postgres PASSWORD ${old.escapeLiteral(password)}`);
    console.log(`Gave the embedded PostgreSQL in ${dir} a random password (it had the old default postgres/postgres)`);
    return password;
  } finally {
    await old.end();
  }
}
