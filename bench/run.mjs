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
// with SIGNUP_CHALLENGE=altcha and pre-solved challenges against the same with it off),
// --skip-better-auth (leave out the second peer, Better Auth; bench/better-auth/), --memory-limit
// web=384,worker=448 (every side's web and worker in a memory cgroup of that many MiB, as in a pod;
// root only), --sending (instead of all that: each side's worker alone sending sign-ups that wait
// in its paused queue; CPU per email of every process, the worker's split into its main thread and
// V8's helper threads).
// The intake and sign-in loads come from wrk (bench/lib/wrk.mjs, wrk.lua), which the bench installs
// with apt-get when it is missing; delivery's requests come from the bench itself (it times each one).
import { Queue } from 'bullmq';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { postSignUps, runDelivery, storeCounts } from './lib/delivery.mjs';
import { prepareAccounts, prepareBetterAuthAccounts } from './lib/sign-in.mjs';
import { median, printPeers, printTable, ratios, summarize, summarizeBackends } from './lib/report.mjs';
import { ensureWrk, warmedLoad } from './lib/wrk.mjs';
import {
  ROOT,
  benchUrls,
  cpuMs,
  freePort,
  localRedisPid,
  postgresBackendPids,
  resetData,
  startEmulator,
  memoryCgroup,
  startProcess,
  threadCpuMs,
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
    'skip-better-auth': { type: 'boolean', default: false },
    'memory-limit': { type: 'string' },
    'node-args': { type: 'string', default: '' },
    sending: { type: 'boolean', default: false },
  },
});
// --memory-limit web=384,worker=448: each side's web and worker in a memory cgroup of that many MiB, as in the pods.
// Without it each process still gets a cgroup of its own (as root), for the memory a container would be charged.
const memoryLimits = Object.fromEntries(
  (args['memory-limit'] ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => {
      const [role, mb] = pair.split('=');
      if (!['web', 'worker'].includes(role) || !(Number(mb) > 0)) throw new Error(`--memory-limit takes web=MiB,worker=MiB, not ${pair}`);
      return [role, Number(mb)];
    }),
);
// --node-args="--trace-gc" (with "=": the value starts with a dash): flags NODE_OPTIONS refuses, for every side's web and worker.
const NODE_ARGS = args['node-args'].split(/\s+/).filter(Boolean);
if (args.scale) {
  const { runScale } = await import('./scale.mjs');
  await runScale({ skipBuild: args['skip-build'], users: Number(args.users), reuse: args.reuse });
  process.exit(0);
}
ensureWrk();
const CONFIG = {
  connections: 32,
  // wrk threads; every thread numbers its own addresses (bench/lib/wrk.lua).
  wrkThreads: 2,
  intakeSeconds: args.quick ? 3 : 10,
  warmupSeconds: args.quick ? 1 : 2,
  deliveryCount: args.quick ? 500 : 2000,
  // Better Auth signs up at scrypt's pace (tens a second here), and sends as it signs up: fewer do.
  betterAuthDeliveryCount: args.quick ? 50 : 200,
  deliveryIdleTimeoutMs: 30_000,
  signInSeconds: args.quick ? 5 : 20,
  // Better Auth answers 32 concurrent sign-ups all at about the same time, seconds after they came
  // (the hashes queue on libuv's 4 threads while their transactions hold the pool): its loads run
  // longer so that the measured window is several times its latency.
  slowSeconds: args.quick ? 10 : 30,
  slowWarmupSeconds: args.quick ? 3 : 5,
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
const SIGN_UP = { path: '/api/users', template: '{"email":"{email}"}', body: (email) => JSON.stringify({ email }) };
const BETTER_AUTH_PASSWORD = 'Bench correct horse battery staple';
const TARGETS = {
  service: {
    web: join(ROOT, 'dist', 'main.js'),
    worker: join(ROOT, 'dist', 'main.worker.js'),
    workerReady: /Sending with concurrency/,
    queue: 'mail',
    signUp: SIGN_UP,
    signIn: { path: '/api/sessions', prepare: prepareAccounts },
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
    queue: 'baseline-mail',
    signUp: SIGN_UP,
    env: { ...common, NODE_ENV: 'production' },
  },
  // The second peer: Better Auth's email-and-password sign-up, one process, no queue (bench/better-auth/).
  'better-auth': {
    web: join(ROOT, 'bench', 'better-auth', 'server.mjs'),
    worker: null,
    tag: 'x',
    slow: true,
    // Its tables, with its own migration code, in the schema better_auth of the fresh bench database.
    prepare: ({ DATABASE_URL }) =>
      execFileSync(process.execPath, [join(ROOT, 'bench', 'better-auth', 'migrate.mjs')], {
        env: { ...process.env, DATABASE_URL },
        stdio: 'ignore',
      }),
    signUp: {
      path: '/api/auth/sign-up/email',
      template: `{"email":"{email}","password":"${BETTER_AUTH_PASSWORD}","name":"Bench"}`,
      body: (email) => JSON.stringify({ email, password: BETTER_AUTH_PASSWORD, name: 'Bench' }),
    },
    signIn: { path: '/api/auth/sign-in/email', prepare: prepareBetterAuthAccounts },
    env: { ...common, NODE_ENV: 'production', BETTER_AUTH_SECRET: 'bench-better-auth-secret-0123456789abcdef' },
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
  target.prepare?.(urls);
  const emulator = await startEmulator(CONFIG.sesPort);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...target.env, PORT: String(port) };
  const log = (role) => join(LOGS, `${label}-${name}-${phase}-${role}.log`);
  const start = (role, script) =>
    startProcess(script, {
      env,
      log: log(role),
      nodeArgs: [...NODE_ARGS, ...nodeArgs(role)],
      cgroup: memoryCgroup(`signup-bench-${role}`, memoryLimits[role]),
    });
  const web = start('web', target.web);
  const worker = withWorker && target.worker ? start('worker', target.worker) : null;
  try {
    await waitForHealth(url);
    if (worker) await waitForLog(log('worker'), target.workerReady);
    await sleep(500);
    const processes = { web, worker, emulator };
    const before = await cpuSnapshot(processes);
    const result = await body({ url, emulator, web, worker, tag: `${label}${target.tag ?? name[0]}` });
    for (const [role, proc] of Object.entries({ web, worker })) {
      if (proc?.ended()) throw new Error(`${name} ${role} exited during ${phase} (${proc.ended()}); see ${log(role)}`);
    }
    // A body may count its CPU over a narrower window itself (intake does).
    result.cpuMs ??= cpuSpent(before, await cpuSnapshot(processes));
    return result;
  } finally {
    await Promise.all([web.stop(), worker?.stop()]);
    await emulator.stop();
  }
}

/**
 * Intake from wrk (unique addresses; with a file of pre-solved ALTCHA payloads, each request carries
 * the next one); the event-loop delay of web (and worker) over the measured window, after warm-up.
 */
async function intake({ url, tag, web, worker, emulator }, { signUp, slow }, payloadsFile) {
  const processes = Object.entries({ web, worker }).filter(([, p]) => p);
  let before;
  const result = await warmedLoad({
    url: `${url}${signUp.path}`,
    connections: CONFIG.connections,
    threads: CONFIG.wrkThreads,
    seconds: slow ? CONFIG.slowSeconds : CONFIG.intakeSeconds,
    warmupSeconds: slow ? CONFIG.slowWarmupSeconds : CONFIG.warmupSeconds,
    prefix: `intake.${tag}`,
    template: payloadsFile ? `${signUp.template.slice(0, -1)},"altcha":"{line}"}` : signUp.template,
    linesFile: payloadsFile,
    onMeasuring: async () => {
      await untilIdle(web);
      await Promise.all(processes.map(([, p]) => p.loopDelay()));
      before = await cpuSnapshot({ web, worker, emulator });
    },
  });
  const delays = await Promise.all(processes.map(([, p]) => p.loopDelay()));
  result.loopDelay = Object.fromEntries(processes.map(([role], i) => [role, delays[i]]));
  // CPU per sign-up: from the end of the warm-up until the web has handled every request sent (`made`).
  await untilIdle(web);
  result.cpuMs = cpuSpent(before, await cpuSnapshot({ web, worker, emulator }));
  // Intake with the worker running is where a process's garbage piles up highest (docs/memory.md).
  result.peakRss = peaks({ web, worker }, 'peakRssMb');
  result.peakCharged = peaks({ web, worker }, 'peakChargedMb');
  return { requestsPerSecond: result.perSecond, ...result };
}

/** A memory peak (`peakRssMb` or `peakChargedMb`) of the web and of the worker (NaN without one). */
const peaks = (processes, which) => ({ web: processes.web[which](), worker: processes.worker?.[which]() ?? NaN });

/**
 * Resolves once `proc` has used at most 30 ms of CPU in half a second (or after a minute): a load
 * generator that stops leaves requests in flight, and the server goes on handling them (Better
 * Auth: 32 scrypt hashes, seconds of work), which the next load must not wait behind.
 */
async function untilIdle(proc, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = proc.cpuMs();
  while (Date.now() < deadline) {
    await sleep(500);
    const now = proc.cpuMs();
    if (!(now - last > 30)) return;
    last = now;
  }
}

/**
 * --sending: with the side's queue paused, `deliveryCount` sign-ups are made and relayed into it;
 * then the queue is resumed and the CPU each process spends until the last email arrives is counted.
 */
async function sending({ url, emulator, web, worker, tag }, target) {
  const queue = new Queue(target.queue, { connection: { url: urls.REDIS_URL } });
  try {
    await queue.pause();
    const count = CONFIG.deliveryCount;
    const { sentAt } = await postSignUps({
      url,
      path: target.signUp.path,
      body: target.signUp.body,
      count,
      connections: CONFIG.connections,
      tag,
    });
    const deadline = Date.now() + 60_000;
    let queued;
    while ((queued = await queue.getJobCountByTypes('paused', 'waiting')) < count) {
      if (Date.now() > deadline) throw new Error(`only ${queued} of ${count} jobs reached the queue`);
      await sleep(100);
    }
    await untilIdle(web);
    const before = await cpuSnapshot({ web, worker, emulator });
    const threadsBefore = threadCpuMs(worker.pid);
    const start = Date.now();
    await queue.resume();
    await emulator.waitFor(count, CONFIG.deliveryIdleTimeoutMs);
    const cpu = cpuSpent(before, await cpuSnapshot({ web, worker, emulator }));
    const threadsAfter = threadCpuMs(worker.pid);
    cpu['worker main thread'] = threadsAfter.main - threadsBefore.main;
    cpu['worker V8 threads'] = threadsAfter.v8 - threadsBefore.v8;
    const arrived = new Set(emulator.arrivals.map(([to]) => to).filter((to) => sentAt.has(to)));
    const lastArrival = Math.max(...emulator.arrivals.map(([, at]) => at));
    const us = Object.fromEntries(Object.entries(cpu).map(([role, ms]) => [role, (ms * 1000) / count]));
    return { emailsPerSecond: (arrived.size / (lastArrival - start)) * 1000, missing: count - arrived.size, us, cpuMs: cpu };
  } finally {
    await queue.close();
  }
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

const fixed = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** Intake, delivery and (for a side with accounts, unless `signIn` is false) sign-in of one side. */
async function measure(name, label, nodeArgs, { signIn: withSignIn = !args['skip-sign-in'] } = {}) {
  const target = TARGETS[name];
  process.stdout.write(`  ${name}: intake`);
  const intakeResult = await retried(`${name} intake`, (i) =>
    withStack(name, 'intake', `${label}.${i}`, { withWorker: CONFIG.intakeWithWorker, nodeArgs }, (stack) => intake(stack, target)),
  );
  const requests = intakeResult.made;
  process.stdout.write(
    ` ${intakeResult.requestsPerSecond.toFixed(0)} req/s, p99 ${intakeResult.p99} ms, non-2xx ${intakeResult.non2xx + intakeResult.errors}, ` +
      `web event loop p99 ${intakeResult.loopDelay.web.p99} ms, web CPU ${fixed((intakeResult.cpuMs.web * 1000) / requests)} us/req, ` +
      `wrk CPU ${(intakeResult.generator.coreShare * 100).toFixed(1)} % of a core (${intakeResult.generator.usPerRequest.toFixed(0)} us/req); delivery`,
  );
  const count = name === 'better-auth' ? CONFIG.betterAuthDeliveryCount : CONFIG.deliveryCount;
  const {
    delivery,
    rss,
    charged,
    cpuMs: deliveryCpu,
  } = await retried(`${name} delivery`, (i) =>
    withStack(name, 'delivery', `${label}.${i}`, { nodeArgs }, async ({ url, emulator, web, worker, tag }) => {
      const result = await runDelivery({
        url,
        path: target.signUp.path,
        body: target.signUp.body,
        emulator,
        count,
        connections: CONFIG.connections,
        tag,
        timeoutMs: CONFIG.deliveryIdleTimeoutMs,
      });
      result.store = await storeCounts(emulator.url);
      return { delivery: result, rss: peaks({ web, worker }, 'peakRssMb'), charged: peaks({ web, worker }, 'peakChargedMb') };
    }),
  );
  delivery.cpuMs = deliveryCpu;
  // Memory peaks: the higher of the two phases (each starts fresh processes).
  const higher = (a, b) => ({ web: Math.max(a.web, b.web), worker: Math.max(a.worker, b.worker) });
  const peakRss = higher(rss, intakeResult.peakRss);
  const peakCharged = higher(charged, intakeResult.peakCharged);
  console.log(
    ` ${delivery.emailsPerSecond.toFixed(0)} emails/s, missing ${delivery.missing}, duplicates ${delivery.duplicates}; ` +
      `peak RSS web ${peakRss.web.toFixed(0)} MB, worker ${fixed(peakRss.worker)} MB ` +
      `(intake ${intakeResult.peakRss.web.toFixed(0)} / ${fixed(intakeResult.peakRss.worker)}, delivery ${rss.web.toFixed(0)} / ${fixed(rss.worker)}); ` +
      `peak charged to its cgroup web ${fixed(peakCharged.web)} MB, worker ${fixed(peakCharged.worker)} MB`,
  );
  const perSignUp = (ms) => fixed((ms * 1000) / requests);
  const perEmail = (ms) => fixed((ms * 1000) / count);
  const { web, worker, postgres, redis, emulator } = delivery.cpuMs;
  const intakeCpu = intakeResult.cpuMs;
  console.log(
    `    CPU us/sign-up (intake): web ${perSignUp(intakeCpu.web)}, worker ${perSignUp(intakeCpu.worker)}, postgres ${perSignUp(intakeCpu.postgres)}, ` +
      `redis ${perSignUp(intakeCpu.redis)}, emulator ${perSignUp(intakeCpu.emulator)}`,
  );
  console.log(
    `    CPU us/email: web ${perEmail(web)}, worker ${perEmail(worker)}, postgres ${perEmail(postgres)}, ` +
      `redis ${perEmail(redis)}, emulator ${perEmail(emulator)}`,
  );
  const signInResult = withSignIn && target.signIn ? await signIn(name, label) : undefined;
  if (signInResult) printSignIn(name, signInResult);
  return { intake: intakeResult, delivery, rss: peakRss, charged: peakCharged, signIn: signInResult };
}

/** POST sign-ins (the service's /api/sessions, Better Auth's /api/auth/sign-in/email) for confirmed accounts, from wrk. */
async function signIn(name, label = 'sign-in') {
  const target = TARGETS[name];
  return retried(`${name} sign-in`, (i) =>
    withStack(name, 'sign-in', `${label}.${i}`, {}, async ({ url, emulator, web, tag }) => {
      const accounts = await target.signIn.prepare({ url, emulator, count: CONFIG.signInAccounts, tag, databaseUrl: urls.DATABASE_URL });
      const accountsFile = join(LOGS, `${label}.${i}-${name}-accounts.jsonl`);
      writeFileSync(accountsFile, accounts.map(({ email, password }) => JSON.stringify({ email, password })).join('\n') + '\n');
      let cpuBefore;
      const result = await warmedLoad({
        url: `${url}${target.signIn.path}`,
        connections: CONFIG.connections,
        threads: CONFIG.wrkThreads,
        seconds: target.slow ? CONFIG.slowSeconds : CONFIG.signInSeconds,
        warmupSeconds: target.slow ? CONFIG.slowWarmupSeconds : CONFIG.warmupSeconds,
        prefix: `sign-in.${tag}`,
        template: '{line}',
        linesFile: accountsFile,
        onMeasuring: async () => {
          await untilIdle(web);
          cpuBefore = web.cpuMs();
        },
      });
      await untilIdle(web);
      result.signInsPerSecond = result.perSecond;
      // From the end of the warm-up until the web has handled every sign-in sent.
      result.webCpuMsPerSignIn = (web.cpuMs() - cpuBefore) / result.made;
      result.peakRssWebMb = web.peakRssMb();
      return result;
    }),
  );
}

function printSignIn(name, r) {
  console.log(
    `    ${name} sign-in (${CONFIG.signInAccounts} accounts, ${CONFIG.connections} connections, ${(r.durationMs / 1000).toFixed(0)} s): ` +
      `${r.signInsPerSecond.toFixed(1)} sign-ins/s, p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms, non-2xx ${r.non2xx + r.errors}; ` +
      `web CPU ${r.webCpuMsPerSignIn.toFixed(1)} ms per sign-in (${(1000 / r.webCpuMsPerSignIn).toFixed(1)} per CPU-second), ` +
      `web peak RSS ${r.peakRssWebMb.toFixed(0)} MB; wrk CPU ${(r.generator.coreShare * 100).toFixed(1)} % of a core`,
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
if (args['memory-limit']) console.log(`Memory cgroups: ${args['memory-limit']} (MiB)`);

if (args.only) {
  // One side only: for trying a change quickly; no ratios, so no targets either.
  if (!TARGETS[args.only]) throw new Error(`--only takes service, baseline or better-auth`);
  for (let i = 0; i < Number(args.runs); i++) await measure(args.only, `only${i + 1}`, () => []);
  // --runs 0: the sign-in phase alone.
  if (Number(args.runs) === 0 && TARGETS[args.only].signIn) printSignIn(args.only, await signIn(args.only));
  process.exit(0);
}

if (args.challenge) {
  // Enough payloads for the fastest intake seen here (about 1,500 sign-ups a second) over warm-up and run.
  const count = 1500 * (CONFIG.intakeSeconds + CONFIG.warmupSeconds);
  process.stdout.write(`Solving ${count} ALTCHA challenges ahead of the load...`);
  const { presolvedAltcha } = await import('./lib/presolved-altcha.mjs'); // reads dist/, built above
  const payloads = await presolvedAltcha({ appSecret: TARGETS.altcha.env.APP_SECRET, count });
  // One base64 payload a line: wrk.lua gives every request the next line (never one twice).
  const payloadsFile = join(LOGS, 'altcha-payloads.txt');
  mkdirSync(LOGS, { recursive: true });
  writeFileSync(payloadsFile, payloads.join('\n') + '\n');
  console.log(' done');
  // --challenge --profile any: CPU profiles of each side's web and worker, one folder per side.
  const profileArgs = (name) => (role) =>
    args.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(RESULTS, 'profiles', stamp, name === 'altcha' ? 'altcha' : 'off', role)}`] : [];
  const rows = { off: [], altcha: [] };
  for (let i = 0; i < Number(args.runs); i++) {
    for (const name of i % 2 === 0 ? ['service', 'altcha'] : ['altcha', 'service']) {
      const r = await retried(`${name} intake`, (attempt) =>
        withStack(
          name,
          'intake',
          `challenge${i + 1}.${attempt}`,
          { withWorker: CONFIG.intakeWithWorker, nodeArgs: profileArgs(name) },
          (stack) => intake(stack, TARGETS[name], name === 'altcha' ? payloadsFile : undefined),
        ),
      );
      const requests = r.made;
      const row = {
        generatorCoreShare: r.generator.coreShare,
        perSecond: r.requestsPerSecond,
        p99: r.p99,
        non2xx: r.non2xx,
        webUs: (r.cpuMs.web * 1000) / requests,
        redisUs: (r.cpuMs.redis * 1000) / requests,
        postgresUs: (r.cpuMs.postgres * 1000) / requests,
      };
      rows[name === 'altcha' ? 'altcha' : 'off'].push(row);
      console.log(
        `  ${name === 'altcha' ? 'SIGNUP_CHALLENGE=altcha' : 'SIGNUP_CHALLENGE=off'}: ${row.perSecond.toFixed(0)} sign-ups/s, p99 ${row.p99} ms, non-2xx ${row.non2xx}; CPU µs per sign-up: web ${row.webUs.toFixed(0)}, redis ${row.redisUs.toFixed(0)}, postgres ${row.postgresUs.toFixed(0)}; wrk ${(row.generatorCoreShare * 100).toFixed(1)} % of a core`,
      );
    }
  }
  console.log(`\nMedians of ${args.runs} (off → altcha):`);
  for (const key of ['perSecond', 'p99', 'webUs', 'redisUs', 'postgresUs']) {
    const [off, on] = [median(rows.off.map((r) => r[key])), median(rows.altcha.map((r) => r[key]))];
    console.log(`  ${key.padEnd(10)} ${off.toFixed(1)} → ${on.toFixed(1)} (${(on / off).toFixed(2)}×)`);
  }
  const file = join(RESULTS, `${stamp}-challenge.json`);
  writeFileSync(file, JSON.stringify({ startedAt: stamp, config: CONFIG, rows }, null, 2));
  console.log(`\nWritten to ${file}`);
  process.exit(0);
}

if (args.sending) {
  // Sending alone: the sign-ups wait in a paused queue, then each side's worker sends them with nothing else running.
  const rows = { service: [], baseline: [] };
  for (let i = 0; i < Number(args.runs); i++) {
    for (const name of i % 2 === 0 ? ['service', 'baseline'] : ['baseline', 'service']) {
      const row = await retried(`${name} sending`, (attempt) =>
        withStack(name, 'sending', `sending${i + 1}.${attempt}`, {}, (stack) => sending(stack, TARGETS[name])),
      );
      rows[name].push(row);
      console.log(
        `  ${name}: ${row.emailsPerSecond.toFixed(0)} emails/s, missing ${row.missing}; CPU µs per email: ` +
          Object.entries(row.us)
            .map(([role, us]) => `${role} ${fixed(us)}`)
            .join(', '),
      );
    }
  }
  console.log(`\nMedians of ${args.runs} (service / floor):`);
  const keys = [
    ['emailsPerSecond', (r) => r.emailsPerSecond],
    ...['worker', 'worker main thread', 'worker V8 threads', 'postgres', 'redis', 'emulator', 'web'].map((role) => [
      `${role} µs/email`,
      (r) => r.us[role],
    ]),
  ];
  for (const [key, of] of keys) {
    const [service, floor] = [median(rows.service.map(of)), median(rows.baseline.map(of))];
    console.log(`  ${key.padEnd(27)} ${fixed(service)} / ${fixed(floor)} (${(service / floor).toFixed(2)}×)`);
  }
  const file = join(RESULTS, `${stamp}-sending.json`);
  writeFileSync(file, JSON.stringify({ startedAt: stamp, config: CONFIG, rows }, null, 2));
  console.log(`\nWritten to ${file}`);
  process.exit(0);
}

if (args.profile) {
  const dir = join(RESULTS, 'profiles', stamp);
  const nodeArgs = (role) => ['--cpu-prof', `--cpu-prof-dir=${join(dir, role)}`];
  const result = await measure(args.profile, 'profile', nodeArgs, { signIn: false });
  writeFileSync(join(dir, 'result.json'), JSON.stringify(result, null, 2));
  console.log(`\nProfiles in ${dir} (web/, worker/; intake first, delivery second). Summarise with:`);
  console.log(`  node bench/profile-summary.mjs ${join(dir, 'web')}/*.cpuprofile`);
  process.exit(0);
}

if (args.backend) {
  if (args.backend !== 'postgres') throw new Error('--backend takes postgres (compared with redis in the same run)');
  const runs = [];
  for (let i = 0; i < Number(args.runs); i++) {
    const order = i % 2 === 0 ? ['postgres', 'redis'] : ['redis', 'postgres'];
    console.log(`Run ${i + 1}/${args.runs} (load average ${loadavg()[0].toFixed(2)}):`);
    const run = { order, machine: machine() };
    for (const name of order) run[name] = await measure(name, `run${i + 1}`, () => [], { signIn: false });
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
const sides = args['skip-better-auth'] ? ['service', 'baseline'] : ['service', 'baseline', 'better-auth'];
for (let i = 0; i < runCount; i++) {
  // Rotate the order so no side always runs on a warmer (or busier) machine.
  const order = sides.map((_, k) => sides[(i + k) % sides.length]);
  console.log(`Run ${i + 1}/${runCount} (load average ${loadavg()[0].toFixed(2)}):`);
  const run = { order, machine: machine() };
  for (const name of order) run[name] = await measure(name, `run${i + 1}`, () => []);
  run.ratios = ratios(run.service, run.baseline);
  if (run['better-auth']) run.betterAuthRatios = ratios(run['better-auth'], run.baseline);
  runs.push(run);
}

const summary = summarize(runs, [process.env.NODE_OPTIONS, ...NODE_ARGS].filter(Boolean).join(' '));
printTable(summary, runCount);
printPeers(summary, runCount);
const file = join(RESULTS, `${stamp}.json`);
writeFileSync(file, JSON.stringify({ startedAt: stamp, config: CONFIG, runs, medians: summary }, null, 2));
console.log(`\nWritten to ${file}`);
