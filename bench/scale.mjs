// `npm run bench -- --scale [--skip-build] [--users N] [--reuse]` (--reuse: the database of the last run, as it is): the admin stats (GET /api/admin/stats) on
// a large database: N users (default 1,000,000) signed up over 30 days, two in three confirmed,
// one outbox row and one link token each (sent, failed or waiting), SES feedback and webhook
// deliveries. Times the first request (which finds nothing rolled up and rolls up 35 days), then
// the API for the page's two ranges (24 hours by hour, 30 days by day), then the hot path and the
// admin list, which it times first on a database of a few users: they must not slow down with size.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { median } from './lib/report.mjs';
import { ROOT, benchUrls, freePort, resetData, startProcess, waitForHealth } from './lib/stack.mjs';

const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const REQUESTS = 25;

const seed = (users) => [
  `INSERT INTO users (email, created_at, confirmed, confirmed_at, email_sent, email_sent_at)
   SELECT 'scale-' || g || '@example.com', t, g % 3 <> 0,
          CASE WHEN g % 3 <> 0 THEN t + (30 + (g % 7200)) * interval '1 second' END, g % 50 <> 0, t + interval '40 seconds'
     FROM generate_series(1, ${users}) g, LATERAL (SELECT now() - interval '30 days' * ((g::bigint * 7919) % ${users})::float / ${users} AS t) x`,
  `INSERT INTO mail_outbox (id, kind, user_id, recipient, created_at, enqueued_at, sent_at, failed_at, error)
   SELECT gen_random_uuid(), 'confirmation', id, email, created_at, created_at,
          CASE WHEN email_sent THEN email_sent_at END,
          CASE WHEN NOT email_sent AND created_at < now() - interval '1 hour' THEN created_at + interval '5 minutes' END,
          CASE WHEN NOT email_sent AND created_at < now() - interval '1 hour' THEN 'rejected: MessageRejected' END
     FROM users`,
  // A link token per user whose text the bench can compute: base64url of sha256('scale-<n>').
  `INSERT INTO tokens (user_id, token_hash, expires_at, purpose, created_at, used_at)
   SELECT id, sha256(convert_to(rtrim(translate(encode(sha256(convert_to('scale-' || n, 'UTF8')), 'base64'), '+/', '-_'), '='), 'UTF8')),
          now() + interval '1 day', 'confirmation', created_at, CASE WHEN confirmed THEN confirmed_at END
     FROM users, LATERAL (SELECT substring(email FROM 'scale-([0-9]+)@') AS n) x`,
  `INSERT INTO ses_feedback_events (kind, subtype, counts_for_rate, ses_message_id, recipient_hash, mail_sent_at, received_at)
   SELECT CASE WHEN g % 10 = 0 THEN 'complaint' ELSE 'bounce' END, CASE WHEN g % 10 = 0 THEN 'abuse' ELSE 'Permanent/General' END, true,
          'msg-' || g, '\\x00', t, t + interval '2 minutes'
     FROM generate_series(1, ${Math.round(users / 50)}) g, LATERAL (SELECT now() - interval '30 days' * random() AS t) x`,
  `INSERT INTO webhook_deliveries (id, type, endpoint, payload, status, created_at, delivered_at, failed_at)
   SELECT gen_random_uuid(), 'user.registered', 'https://hooks.example.com/in', '{}', CASE WHEN failed THEN 'failed' ELSE 'sent' END,
          t, CASE WHEN NOT failed THEN t END, CASE WHEN failed THEN t END
     FROM generate_series(1, ${Math.round(users / 10)}) g, LATERAL (SELECT g % 100 = 0 AS failed, now() - interval '1 day' AS t) x`,
  'VACUUM ANALYZE',
];

/** The link token the seed gave user n. */
const tokenOf = (n) => createHash('sha256').update(`scale-${n}`).digest('base64url');

const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const json = { 'content-type': 'application/json' };
const post = (body) => ({ method: 'POST', headers: json, body: JSON.stringify(body) });

/** Times REQUESTS calls after 3 to warm up, one at a time; `call(i)` gives the request and the status it must get. */
async function timeRequests(url, call) {
  const times = [];
  for (let i = 0; i < REQUESTS + 3; i++) {
    const { path, init, status } = call(i);
    const started = performance.now();
    const res = await fetch(url + path, init);
    const body = await res.text();
    if (res.status !== status) throw new Error(`${path} answered ${res.status}, not ${status}: ${body}`);
    if (i >= 3) times.push(performance.now() - started);
  }
  return { median: median(times), p95: p95(times), max: Math.max(...times) };
}

const stats = (query) => () => ({ path: `/api/admin/stats?${query}`, init: { headers: admin }, status: 200 });

/** What a person or an operator does most, each timed the same way at either size. */
const HOT_PATH = [
  ['sign-up (POST /api/users)', (i) => ({ path: '/api/users', init: post({ email: `new-${Date.now()}-${i}@example.com` }), status: 202 })],
  // Users 3, 6, 9, ... are the unconfirmed ones.
  [
    'confirm a link (POST /api/confirmations)',
    (i) => ({ path: '/api/confirmations', init: post({ token: tokenOf(3 * (i + 1)) }), status: 200 }),
  ],
  ['admin list, first page (GET /api/admin/users)', () => ({ path: '/api/admin/users?limit=100', init: { headers: admin }, status: 200 })],
  ['admin list by address', (i) => ({ path: `/api/admin/users?email=scale-${i + 1}@example.com`, init: { headers: admin }, status: 200 })],
];
async function timeHotPath(url) {
  const rows = [];
  for (const [name, call] of HOT_PATH) rows.push({ name, ...(await timeRequests(url, call)) });
  return rows;
}

/** The few users the hot path is first timed on. */
const SMALL = 4 * REQUESTS;

async function seedDatabase(db, users) {
  const started = performance.now();
  for (const sql of seed(users)) await db.query(sql);
  return (performance.now() - started) / 1000;
}

/** The web from dist/ on the bench database, for `use(url)`. */
async function withWeb(urls, logs, use) {
  const port = await freePort();
  const env = {
    ...urls,
    NODE_ENV: 'production',
    APP_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    ADMIN_TOKEN,
    PORT: String(port),
    RATE_LIMIT_PER_MINUTE: '0',
    SIGNUP_CHALLENGE: 'off',
    MX_CHECK: 'off',
    LOG_LEVEL: 'warn',
  };
  const web = startProcess(join(ROOT, 'dist', 'main.js'), { env, log: join(logs, `web-${port}.log`) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url);
    return await use(url);
  } finally {
    await web.stop();
  }
}

/** The first stats request rolls up the 35 days before it (the worker would have, every minute); waits until that is done. */
async function rollUp(db, url) {
  const started = performance.now();
  // Past the web's 15 s socket timeout the answer is lost, not the work.
  const first = await fetch(`${url}/api/admin/stats?bucket=day`, { headers: admin }).then(
    (res) => `${res.status}`,
    (error) => `no answer (${error.cause?.code ?? error.message})`,
  );
  const firstMs = performance.now() - started;
  for (;;) {
    const caughtUp = await db.query(
      `SELECT max(hour) + interval '1 hour' >= date_trunc('hour', now() - interval '5 minutes') AS done FROM funnel_hours`,
    );
    if (caughtUp.rows[0].done) break;
    if (performance.now() - started > 600_000) throw new Error('The rollup did not catch up within 10 minutes');
    await new Promise((r) => setTimeout(r, 250));
  }
  const rolledMs = performance.now() - started;
  console.log(
    `First request (rolls up 35 days): ${first} after ${(firstMs / 1000).toFixed(1)} s; rolled up after ${(rolledMs / 1000).toFixed(1)} s`,
  );
}

const ms = (x) => x.toFixed(1);

export async function runScale({ skipBuild, users, reuse }) {
  if (!skipBuild) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const urls = benchUrls({ ...process.env, BENCH_DATABASE: process.env.BENCH_DATABASE ?? 'bench_scale' });
  const logs = join(ROOT, 'bench', 'results', 'logs', `scale-${new Date().toISOString().replace(/[:.]/g, '-')}`);

  // The few users live in a database of their own, so --reuse keeps the large one as it is.
  const smallUrls = benchUrls({ ...process.env, BENCH_DATABASE: `${new URL(urls.DATABASE_URL).pathname.slice(1)}_small` });
  await resetData(smallUrls);
  const smallDb = new pg.Client({ connectionString: smallUrls.DATABASE_URL });
  await smallDb.connect();
  await seedDatabase(smallDb, SMALL).finally(() => smallDb.end());
  const small = await withWeb(smallUrls, logs, timeHotPath);
  if (!reuse) await resetData(urls);

  const db = new pg.Client({ connectionString: urls.DATABASE_URL });
  await db.connect();
  try {
    if (reuse)
      execFileSync(process.execPath, [join(ROOT, 'dist', 'database', 'migrate.js')], {
        env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: urls.DATABASE_URL },
        stdio: 'ignore',
      });
    const seconds = reuse ? null : await seedDatabase(db, users);
    const counts = (
      await db.query(
        'SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM mail_outbox)::int AS outbox, (SELECT count(*) FROM tokens)::int AS tokens',
      )
    ).rows[0];
    console.log(
      `${reuse ? 'Reused' : 'Seeded'} ${counts.users} users, ${counts.outbox} outbox rows and ${counts.tokens} tokens${seconds === null ? '' : ` in ${seconds.toFixed(0)} s`}`,
    );
    const { statsRows, large } = await withWeb(urls, logs, async (url) => {
      await rollUp(db, url);
      const statsRows = [];
      for (const [name, query] of [
        ['24 h by hour', 'bucket=hour'],
        ['30 days by day', 'bucket=day'],
      ])
        statsRows.push({ stats: name, ...(await timeRequests(url, stats(query))) });
      return { statsRows, large: await timeHotPath(url) };
    });
    console.log(`\nGET /api/admin/stats, ${REQUESTS} requests each after 3 to warm up (ms):`);
    console.table(statsRows.map((r) => ({ ...r, median: ms(r.median), p95: ms(r.p95), max: ms(r.max) })));
    console.log(`\nThe hot path, one request at a time, ${REQUESTS} each after 3 to warm up (ms): ${SMALL} users, then ${counts.users}:`);
    console.table(
      large.map((r, i) => ({
        request: r.name,
        [`median (${SMALL})`]: ms(small[i].median),
        [`p95 (${SMALL})`]: ms(small[i].p95),
        median: ms(r.median),
        p95: ms(r.p95),
      })),
    );
  } finally {
    await db.end();
  }
}
