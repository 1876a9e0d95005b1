// Sign-in: confirmed accounts with passwords, made through the service's own API (sign up, the
// emailed link, a password chosen on confirming), then POST /api/sessions from many connections.
// Argon2id is the cost of each sign-in; the baseline has no accounts, so this phase is the service's alone.
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
