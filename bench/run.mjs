// `npm run bench`: the service against a bare baseline doing the same work, in one run, on fresh
// processes and empty data for every phase. Options: --runs N (medians), --profile service|baseline
// (CPU profiles of that side's web and worker instead of a comparison), --quick (short phases, for
// trying it out), --intake-web-only (stop the worker during intake; by default each side's worker
// runs during intake, as in production), --only service|baseline (one side, no ratios),
// --skip-build (use dist/ as it is), --backend postgres (the service on QUEUE_BACKEND=postgres
// against itself on Redis, in the same run, instead of against the baseline), --skip-sign-in (leave
// out the sign-in phase, which only the service has: Argon2id sign-ins per second and their latency),
// --scale [--users N] (instead of all that: the admin stats API on a database of N users, default
// 1,000,000, and as many outbox rows; bench/scale.mjs), --challenge (instead: the service's intake
// with SIGNUP_CHALLENGE=altcha and pre-solved challenges against the same with it off).
import { execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runDelivery, storeCounts } from './lib/delivery.mjs';
import { prepareAccounts } from './lib/sign-in.mjs';
import { printTable, ratios, summarize, summarizeBackends } from './lib/report.mjs';
import {
  ROOT,
  benchUrls,
  cpuMs,
  freePort,
  localRedisPid,
  postgresBackendPids,
  resetData,
  startEmulator,
  startProcess,
  waitForHealth,
} from './lib/stack.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    profile: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'intake-web-only': { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
    only: { type: 'string' },
    backend: { type: 'string' },
    'skip-sign-in': { type: 'boolean', default: false },
    scale: { type: 'boolean', default: false },
    users: { type: 'string', default: '1000000' },
    reuse: { type: 'boolean', default: false },
    challenge: { type: 'boolean', default: false },
  },
});
if (args.scale) {
  const { runScale } = await import('./scale.mjs');
  await runScale({ skipBuild: args['skip-build'], users: Number(args.users), reuse: args.reuse });
  process.exit(0);
}
const CONFIG = {
  connections: 32,
  intakeSeconds: args.quick ? 3 : 10,
  warmupSeconds: args.quick ? 1 : 2,
  deliveryCount: args.quick ? 500 : 2000,
  deliveryIdleTimeoutMs: 30_000,
  signInSeconds: args.quick ? 3 : 10,
  signInAccounts: 32,
  sesPort: Number(process.env.BENCH_SES_PORT ?? 8127),
  // Both sides' workers run at this concurrency: the comparison is only fair with equal figures.
  workerConcurrency: 50,
  intakeWithWorker: !args['intake-web-only'],
};
const urls = benchUrls();
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const RESULTS = join(ROOT, 'bench', 'results');
const LOGS = join(RESULTS, 'logs', stamp);

const common = {
  ...urls,
  AWS_ENDPOINT_URL_SES: `http://127.0.0.1:${CONFIG.sesPort}`,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  APP_URL: 'http://localhost:3000',
  WORKER_CONCURRENCY: String(CONFIG.workerConcurrency),
};
const TARGETS = {
  service: {
    web: join(ROOT, 'dist', 'main.js'),
    worker: join(ROOT, 'dist', 'main.worker.js'),
    workerReady: /Sending with concurrency/,
    env: {
      ...common,
      NODE_ENV: 'production',
      APP_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
      RATE_LIMIT_PER_MINUTE: '0',
      NEW_ADDRESS_EMAILS_PER_MINUTE: '0',
      SES_MAX_SEND_RATE: '100000',
      LOG_LEVEL: 'log',
      // On in production by default; the sign-up guard's own cost is measured by bench/signup-guard.mjs.
      SIGNUP_CHALLENGE: 'off',
      MX_CHECK: 'off',
    },
  },
  baseline: {
    web: join(ROOT, 'bench', 'baseline', 'web.mjs'),
    worker: join(ROOT, 'bench', 'baseline', 'worker.mjs'),
    workerReady: /baseline worker running/,
    env: { ...common, NODE_ENV: 'production' },
  },
};

// The service with the sign-up guard's proof of work on, for --challenge (a TTL that outlasts the pre-solving).
TARGETS.altcha = { ...TARGETS.service, env: { ...TARGETS.service.env, SIGNUP_CHALLENGE: 'altcha', SIGNUP_CHALLENGE_TTL_SECONDS: '3600' } };

// The service in each queue backend, for --backend postgres.
TARGETS.redis = { ...TARGETS.service, env: { ...TARGETS.service.env, QUEUE_BACKEND: 'redis' } };
TARGETS.postgres = { ...TARGETS.service, env: { ...TARGETS.service.env, QUEUE_BACKEND: 'postgres' } };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForLog(file, pattern, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(readFileSync(file, 'utf8'))) {
    if (Date.now() > deadline) throw new Error(`${file} never showed ${pattern}`);
    await sleep(100);
  }
}

const redisPid = await localRedisPid(urls.REDIS_URL);

/** CPU time used so far by each process of the phase, PostgreSQL backends per pid. */
async function cpuSnapshot({ web, worker, emulator }) {
  const pids = await postgresBackendPids(urls.DATABASE_URL);
  return {
    web: web.cpuMs(),
    worker: worker ? worker.cpuMs() : 0,
    emulator: cpuMs(emulator.pid),
    redis: redisPid ? cpuMs(redisPid) : NaN,
    postgres: new Map(pids.map((pid) => [pid, cpuMs(pid)])),
  };
}

/** CPU ms each process spent between two snapshots (start-up excluded). */
function cpuSpent(before, after) {
  let postgres = 0;
  for (const [pid, ms] of after.postgres) if (Number.isFinite(ms)) postgres += ms - (before.postgres.get(pid) ?? 0);
  return {
    web: after.web - before.web,
    worker: after.worker - before.worker,
    emulator: after.emulator - before.emulator,
    redis: after.redis - before.redis,
    postgres,
  };
}

/**
 * Resets everything, starts emulator + web (+ worker) fresh, runs `body`, stops them all.
 * `body` gets the processes and returns its result; `cpuMs` is added to it.
 */
async function withStack(name, phase, label, { withWorker = true, nodeArgs = () => [] }, body) {
  const target = TARGETS[name];
  await resetData(urls);
  const emulator = await startEmulator(CONFIG.sesPort);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...target.env, PORT: String(port) };
  const log = (role) => join(LOGS, `${label}-${name}-${phase}-${role}.log`);
  const web = startProcess(target.web, { env, log: log('web'), nodeArgs: nodeArgs('web') });
  const worker = withWorker ? startProcess(target.worker, { env, log: log('worker'), nodeArgs: nodeArgs('worker') }) : null;
  try {
    await waitForHealth(url);
    if (worker) await waitForLog(log('worker'), target.workerReady);
    await sleep(500);
    const processes = { web, worker, emulator };
    const before = await cpuSnapshot(processes);
    const result = await body({ url, emulator, web, worker, tag: `${label}${name[0]}` });
    for (const [role, proc] of Object.entries({ web, worker })) {
      if (proc?.ended()) throw new Error(`${name} ${role} exited during ${phase} (${proc.ended()}); see ${log(role)}`);
    }
    result.cpuMs = cpuSpent(before, await cpuSnapshot(processes));
    return result;
  } finally {
    await Promise.all([web.stop(), worker?.stop()]);
    await emulator.stop();
  }
}

/** Autocannon in its own process; the event-loop delay of web (and worker) over the measured window, after warm-up. */
async function intake({ url, tag, web, worker }, payloadsFile) {
  const child = fork(join(ROOT, 'bench', 'lib', 'intake.mjs'), [
    url,
    String(CONFIG.connections),
    String(CONFIG.intakeSeconds),
    String(CONFIG.warmupSeconds),
    tag,
    ...(payloadsFile ? [payloadsFile] : []),
  ]);
  const processes = Object.entries({ web, worker }).filter(([, p]) => p);
  const windowStart = sleep(CONFIG.warmupSeconds * 1000).then(() => Promise.all(processes.map(([, p]) => p.loopDelay())));
  const [result] = await once(child, 'message');
  child.kill();
  await windowStart;
  const delays = await Promise.all(processes.map(([, p]) => p.loopDelay()));
  result.loopDelay = Object.fromEntries(processes.map(([role], i) => [role, delays[i]]));
  return result;
}

/** A phase whose process died (on a shared machine someone may kill it) is measured again. */
async function retried(what, attempt) {
  for (let i = 1; ; i++) {
    try {
      return await attempt(i);
    } catch (error) {
      if (i === 3) throw error;
      console.log(`\n  ${what} failed (${error.message}); measuring it again`);
    }
  }
}

async function measure(name, label, nodeArgs) {
  process.stdout.write(`  ${name}: intake`);
  const intakeResult = await retried(`${name} intake`, (i) =>
    withStack(name, 'intake', `${label}.${i}`, { withWorker: CONFIG.intakeWithWorker, nodeArgs }, (stack) => intake(stack)),
  );
  process.stdout.write(
    ` ${intakeResult.requestsPerSecond.toFixed(0)} req/s, p99 ${intakeResult.p99} ms, ` +
      `web event loop p99 ${intakeResult.loopDelay.web.p99} ms; delivery`,
  );
  const {
    delivery,
    rss,
    cpuMs: deliveryCpu,
  } = await retried(`${name} delivery`, (i) =>
    withStack(name, 'delivery', `${label}.${i}`, { nodeArgs }, async ({ url, emulator, web, worker, tag }) => {
      const result = await runDelivery({
        url,
        emulator,
        count: CONFIG.deliveryCount,
        connections: CONFIG.connections,
        tag,
        timeoutMs: CONFIG.deliveryIdleTimeoutMs,
      });
      const rssNow = { web: web.peakRssMb(), worker: worker.peakRssMb() };
      result.store = await storeCounts(emulator.url);
      return { delivery: result, rss: rssNow };
    }),
  );
  delivery.cpuMs = deliveryCpu;
  console.log(
    ` ${delivery.emailsPerSecond.toFixed(0)} emails/s, missing ${delivery.missing}, duplicates ${delivery.duplicates}; ` +
      `RSS web ${rss.web.toFixed(0)} MB, worker ${rss.worker.toFixed(0)} MB`,
  );
  const perEmail = (ms) => ((ms * 1000) / CONFIG.deliveryCount).toFixed(0);
  const { web, worker, postgres, redis, emulator } = delivery.cpuMs;
  console.log(
    `    CPU us/email: web ${perEmail(web)}, worker ${perEmail(worker)}, postgres ${perEmail(postgres)}, ` +
      `redis ${perEmail(redis)}, emulator ${perEmail(emulator)}`,
  );
  return { intake: intakeResult, delivery, rss };
}

/** The service alone: POST /api/sessions for accounts made through its API, web and worker running. */
async function signIn() {
  return retried('sign-in', (i) =>
    withStack('service', 'sign-in', `sign-in.${i}`, {}, async ({ url, emulator, web, tag }) => {
      const accounts = await prepareAccounts({ url, emulator, count: CONFIG.signInAccounts, tag });
      const cpuBefore = web.cpuMs();
      const child = fork(
        join(ROOT, 'bench', 'lib', 'sign-in-load.mjs'),
        [url, String(CONFIG.connections), String(CONFIG.signInSeconds), String(CONFIG.warmupSeconds)],
        { env: { ...process.env, BENCH_ACCOUNTS: JSON.stringify(accounts) } },
      );
      const [result] = await once(child, 'message');
      child.kill();
      result.webCpuMsPerSignIn = (web.cpuMs() - cpuBefore) / (result.total + result.warmupTotal);
      result.peakRssWebMb = web.peakRssMb();
      return result;
    }),
  );
}

function printSignIn(r) {
  console.log(
    `\nSign-in (the service alone: Argon2id, ${CONFIG.signInAccounts} accounts, ${CONFIG.connections} connections, ${CONFIG.signInSeconds} s):\n` +
      `  ${r.signInsPerSecond.toFixed(1)} sign-ins/s, p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms, non-2xx ${r.non2xx + r.errors}; ` +
      `web CPU ${r.webCpuMsPerSignIn.toFixed(1)} ms per sign-in, web peak RSS ${r.peakRssWebMb.toFixed(0)} MB`,
  );
}

function machine() {
  return { loadavg: loadavg(), node: process.version };
}

if (!args['skip-build']) {
  console.log('Building the service (nest build)...');
  execFileSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
mkdirSync(RESULTS, { recursive: true });
console.log(`Bench database ${urls.DATABASE_URL}, Redis ${urls.REDIS_URL}, SES emulator on :${CONFIG.sesPort}; logs in ${LOGS}`);

if (args.only) {
  // One side only: for trying a change quickly; no ratios, so no targets either.
  for (let i = 0; i < Number(args.runs); i++) await measure(args.only, `only${i + 1}`, () => []);
  if (args.only === 'service' && !args['skip-sign-in']) printSignIn(await signIn());
  process.exit(0);
}

if (args.profile) {
  const dir = join(RESULTS, 'profiles', stamp);
  const nodeArgs = (role) => ['--cpu-prof', `--cpu-prof-dir=${join(dir, role)}`];
  const result = await measure(args.profile, 'profile', nodeArgs);
  writeFileSync(join(dir, 'result.json'), JSON.stringify(result, null, 2));
  console.log(`\nProfiles in ${dir} (web/, worker/; intake first, delivery second). Summarise with:`);
  console.log(`  node bench/profile-summary.mjs ${join(dir, 'web')}/*.cpuprofile`);
  process.exit(0);
}

if (args.challenge) {
  // Enough payloads for the fastest intake seen here (about 1,500 sign-ups a second) over warm-up and run.
  const count = 1500 * (CONFIG.intakeSeconds + CONFIG.warmupSeconds);
  process.stdout.write(`Solving ${count} ALTCHA challenges ahead of the load...`);
  const { presolvedAltcha } = await import('./lib/presolved-altcha.mjs'); // reads dist/, built above
  const payloads = await presolvedAltcha({ appSecret: TARGETS.altcha.env.APP_SECRET, count });
  const payloadsFile = join(LOGS, 'altcha-payloads.json');
  mkdirSync(LOGS, { recursive: true });
  writeFileSync(payloadsFile, JSON.stringify(payloads));
  console.log(' done');
  const rows = { off: [], altcha: [] };
  for (let i = 0; i < Number(args.runs); i++) {
    for (const name of i % 2 === 0 ? ['service', 'altcha'] : ['altcha', 'service']) {
      const r = await retried(`${name} intake`, (attempt) =>
        withStack(name, 'intake', `challenge${i + 1}.${attempt}`, { withWorker: CONFIG.intakeWithWorker }, (stack) =>
          intake(stack, name === 'altcha' ? payloadsFile : undefined),
        ),
      );
      const requests = r.total + r.warmupTotal;
      const row = {
        perSecond: r.requestsPerSecond,
        p99: r.p99,
        non2xx: r.non2xx,
        webUs: (r.cpuMs.web * 1000) / requests,
        redisUs: (r.cpuMs.redis * 1000) / requests,
        postgresUs: (r.cpuMs.postgres * 1000) / requests,
      };
      rows[name === 'altcha' ? 'altcha' : 'off'].push(row);
      console.log(
        `  ${name === 'altcha' ? 'SIGNUP_CHALLENGE=altcha' : 'SIGNUP_CHALLENGE=off'}: ${row.perSecond.toFixed(0)} sign-ups/s, p99 ${row.p99} ms, non-2xx ${row.non2xx}; CPU µs per sign-up: web ${row.webUs.toFixed(0)}, redis ${row.redisUs.toFixed(0)}, postgres ${row.postgresUs.toFixed(0)}`,
      );
    }
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`\nMedians of ${args.runs} (off → altcha):`);
  for (const key of ['perSecond', 'p99', 'webUs', 'redisUs', 'postgresUs']) {
    const [off, on] = [med(rows.off.map((r) => r[key])), med(rows.altcha.map((r) => r[key]))];
    console.log(`  ${key.padEnd(10)} ${off.toFixed(1)} → ${on.toFixed(1)} (${(on / off).toFixed(2)}×)`);
  }
  const file = join(RESULTS, `${stamp}-challenge.json`);
  writeFileSync(file, JSON.stringify({ startedAt: stamp, config: CONFIG, rows }, null, 2));
  console.log(`\nWritten to ${file}`);
  process.exit(0);
}

if (args.backend) {
  if (args.backend !== 'postgres') throw new Error('--backend takes postgres (compared with redis in the same run)');
  const runs = [];
  for (let i = 0; i < Number(args.runs); i++) {
    const order = i % 2 === 0 ? ['postgres', 'redis'] : ['redis', 'postgres'];
    console.log(`Run ${i + 1}/${args.runs} (load average ${loadavg()[0].toFixed(2)}):`);
    const run = { order, machine: machine() };
    for (const name of order) run[name] = await measure(name, `run${i + 1}`, () => []);
    run.ratios = ratios(run.postgres, run.redis);
    runs.push(run);
  }
  const summary = summarizeBackends(runs);
  printTable(summary, runs.length, ['QUEUE_BACKEND=postgres', 'redis', 'postgres/redis']);
  const file = join(RESULTS, `${stamp}-backends.json`);
  writeFileSync(file, JSON.stringify({ startedAt: stamp, config: CONFIG, runs, medians: summary }, null, 2));
  console.log(`\nWritten to ${file}`);
  process.exit(0);
}

const runs = [];
const runCount = Number(args.runs);
for (let i = 0; i < runCount; i++) {
  // Alternate the order so neither side always runs on a warmer (or busier) machine.
  const order = i % 2 === 0 ? ['service', 'baseline'] : ['baseline', 'service'];
  console.log(`Run ${i + 1}/${runCount} (load average ${loadavg()[0].toFixed(2)}):`);
  const run = { order, machine: machine() };
  for (const name of order) run[name] = await measure(name, `run${i + 1}`, () => []);
  run.ratios = ratios(run.service, run.baseline);
  runs.push(run);
}

const summary = summarize(runs);
printTable(summary, runCount);
const signInResult = args['skip-sign-in'] ? undefined : await signIn();
if (signInResult) printSignIn(signInResult);
const file = join(RESULTS, `${stamp}.json`);
writeFileSync(file, JSON.stringify({ startedAt: stamp, config: CONFIG, runs, medians: summary, signIn: signInResult }, null, 2));
console.log(`\nWritten to ${file}`);
