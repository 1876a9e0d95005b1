// `npm run bench -- --scale [--skip-build] [--users N] [--reuse]` (--reuse: the database of the last run, as it is): the admin stats (GET /api/admin/stats) on
// a large database: N users (default 1,000,000) signed up over 30 days, two in three confirmed,
// one outbox row each (sent, failed or waiting), SES feedback and webhook deliveries. Times the
// first request (which finds nothing rolled up and rolls up 35 days), then the API for the page's
// two ranges (24 hours by hour, 30 days by day). Prints a table.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
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
  `INSERT INTO ses_feedback_events (kind, subtype, counts_for_rate, ses_message_id, recipient_hash, mail_sent_at, received_at)
   SELECT CASE WHEN g % 10 = 0 THEN 'complaint' ELSE 'bounce' END, CASE WHEN g % 10 = 0 THEN 'abuse' ELSE 'Permanent/General' END, true,
          'msg-' || g, '\\x00', t, t + interval '2 minutes'
     FROM generate_series(1, ${Math.round(users / 50)}) g, LATERAL (SELECT now() - interval '30 days' * random() AS t) x`,
  `INSERT INTO webhook_deliveries (id, type, endpoint, payload, status, created_at)
   SELECT gen_random_uuid(), 'user.registered', 'https://hooks.example.com/in', '{}', CASE WHEN g % 100 = 0 THEN 'failed' ELSE 'sent' END, now() - interval '1 day'
     FROM generate_series(1, ${Math.round(users / 10)}) g`,
  'VACUUM ANALYZE',
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

async function timeStats(url, query) {
  const times = [];
  for (let i = 0; i < REQUESTS + 3; i++) {
    const started = performance.now();
    const res = await fetch(`${url}/api/admin/stats?${query}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    if (res.status !== 200) throw new Error(`stats answered ${res.status}: ${await res.text()}`);
    await res.json();
    if (i >= 3) times.push(performance.now() - started); // 3 to warm up
  }
  return { median: median(times), p95: p95(times), max: Math.max(...times) };
}

export async function runScale({ skipBuild, users, reuse }) {
  if (!skipBuild) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const urls = benchUrls({ ...process.env, BENCH_DATABASE: process.env.BENCH_DATABASE ?? 'bench_scale' });
  if (!reuse) await resetData(urls);
  const db = new pg.Client({ connectionString: urls.DATABASE_URL });
  await db.connect();
  let started = performance.now();
  if (reuse)
    execFileSync(process.execPath, [join(ROOT, 'dist', 'database', 'migrate.js')], {
      env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: urls.DATABASE_URL },
      stdio: 'ignore',
    });
  else for (const sql of seed(users)) await db.query(sql);
  const counts = (await db.query('SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM mail_outbox)::int AS outbox'))
    .rows[0];
  console.log(
    `${reuse ? 'Reused' : 'Seeded'} ${counts.users} users and ${counts.outbox} outbox rows${reuse ? '' : ` in ${((performance.now() - started) / 1000).toFixed(0)} s`}`,
  );

  const port = await freePort();
  const env = {
    ...urls,
    NODE_ENV: 'production',
    APP_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    ADMIN_TOKEN,
    PORT: String(port),
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
  };
  const logs = join(ROOT, 'bench', 'results', 'logs', `scale-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const web = startProcess(join(ROOT, 'dist', 'main.js'), { env, log: join(logs, 'web.log') });
  const url = `http://127.0.0.1:${port}`;
  const rows = [];
  try {
    await waitForHealth(url);
    // The first request finds nothing rolled up and rolls up the 35 days before it (the worker
    // would have, every minute). Past the web's 15 s socket timeout the answer is lost, not the work.
    started = performance.now();
    const first = await fetch(`${url}/api/admin/stats?bucket=day`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }).then(
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
    for (const [name, query] of [
      ['24 h by hour', 'bucket=hour'],
      ['30 days by day', 'bucket=day'],
    ])
      rows.push({ stats: name, ...(await timeStats(url, query)) });
  } finally {
    await web.stop();
    await db.end();
  }
  console.log(`\nGET /api/admin/stats, ${REQUESTS} requests each after 3 to warm up (ms):`);
  console.table(rows.map((r) => ({ ...r, median: r.median.toFixed(1), p95: r.p95.toFixed(1), max: r.max.toFixed(1) })));
}
