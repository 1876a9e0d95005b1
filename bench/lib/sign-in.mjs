// Sign-in: confirmed accounts with passwords, made through the service's own API (sign up, the
// emailed link, a password chosen on confirming), then POST /api/sessions from many connections.
// Argon2id is the cost of each sign-in; the baseline has no accounts. Better Auth's accounts are made
// through its sign-up and marked verified in SQL (its emailed link is not what is measured); scrypt is
// its cost.
import pg from 'pg';

const json = (url, body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** `count` accounts `{ email, password }`, each confirmed with its password. */
export async function prepareAccounts({ url, emulator, count, tag }) {
  const accounts = Array.from({ length: count }, (_, i) => ({
    email: `sign-in.${tag}.${i}@bench.example.com`,
    password: `Bench ${tag} correct horse battery staple ${i}`,
  }));
  for (const { email } of accounts) {
    const res = await json(`${url}/api/users`, { email });
    if (res.status !== 202) throw new Error(`sign-up of ${email} answered ${res.status}`);
  }
  if ((await emulator.waitFor(count, 30_000)) < count) throw new Error('not every confirmation email arrived');
  const { emails } = await (await fetch(`${emulator.url}/store`)).json();
  for (const account of accounts) {
    const email = emails.find((e) => e.destination.to.includes(account.email));
    const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(email?.body?.text ?? '')?.[1];
    if (!token) throw new Error(`no confirmation link for ${account.email}`);
    const res = await json(`${url}/api/confirmations`, { token, password: account.password });
    if (res.status !== 200) throw new Error(`confirming ${account.email} answered ${res.status}`);
  }
  return accounts;
}

/** `count` Better Auth accounts `{ email, password }`, signed up through its API and marked verified in SQL. */
export async function prepareBetterAuthAccounts({ url, count, tag, databaseUrl }) {
  const accounts = Array.from({ length: count }, (_, i) => ({
    email: `sign-in.${tag}.${i}@bench.example.com`,
    password: `Bench ${tag} correct horse battery staple ${i}`,
  }));
  for (const { email, password } of accounts) {
    // With fetch's sec-fetch-mode header Better Auth wants the Origin a browser would send.
    const res = await fetch(`${url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ email, password, name: 'Bench' }),
    });
    if (res.status !== 200) throw new Error(`Better Auth sign-up of ${email} answered ${res.status}`);
  }
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const { rowCount } = await db.query('UPDATE better_auth."user" SET "emailVerified" = true WHERE email = ANY($1)', [
    accounts.map((a) => a.email),
  ]);
  await db.end();
  if (rowCount !== count) throw new Error(`marked ${rowCount} of ${count} Better Auth accounts verified`);
  return accounts;
}
