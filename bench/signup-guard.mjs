// What the sign-up guard costs: the server per challenge issued (GET /api/challenge) and per
// solution verified (with the used-solution mark in Redis), and a solver per challenge (altcha-lib's
// own solver, one thread, as a client without the widget would). Run after `npm run build`:
//   node bench/signup-guard.mjs [--cost 1000] [--solves 20] [--verifies 2000]
import 'reflect-metadata';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { AltchaChallengeService } from '../dist/signup-guard/altcha-challenge.service.js';
import { presolvedAltcha } from './lib/presolved-altcha.mjs';
import { median } from './lib/report.mjs';
import { RedisRateLimitStore } from '../dist/rate-limit/redis-rate-limit.store.js';
import { EmailDomainPolicy } from '../dist/signup-guard/email-domain-policy.js';

const { values: args } = parseArgs({
  options: {
    cost: { type: 'string', default: '1000' },
    solves: { type: 'string', default: '20' },
    verifies: { type: 'string', default: '2000' },
  },
});
const cost = Number(args.cost);
const env = { APP_SECRET: 'bench-secret-bench-secret-bench-secret-0123', SIGNUP_CHALLENGE_COST: cost, SIGNUP_CHALLENGE_TTL_SECONDS: 300 };
const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
redisUrl.pathname = `/${process.env.BENCH_REDIS_DB ?? '12'}`;
const store = RedisRateLimitStore.connect(env.APP_SECRET, redisUrl.toString());
await store.onModuleInit();
const altcha = new AltchaChallengeService(env, store);

const cpuMs = (start) => {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
};

// Solver: the widget does the same work in 4 workers on a phone (1 thread here).
const solveMs = [];
const payloads = [];
for (let i = 0; i < Number(args.solves); i++) {
  const challenge = await altcha.create();
  const started = performance.now();
  const solution = await solveChallenge({ challenge, deriveKey });
  solveMs.push(performance.now() - started);
  payloads.push(Buffer.from(JSON.stringify({ challenge, solution })).toString('base64'));
}

// Server, per challenge issued: one PBKDF2 derivation of `cost` iterations (libuv's pool) and an HMAC.
const issues = 500;
let cpu = process.cpuUsage();
let wall = performance.now();
const fresh = [];
for (let i = 0; i < issues; i++) fresh.push(await altcha.create());
const issueCpuUs = (cpuMs(cpu) * 1000) / issues;
const issueWallUs = ((performance.now() - wall) * 1000) / issues;

// Server, per solution verified: parse, two HMACs, and SET NX in Redis. Pre-solved: challenges made
// with this service's keys and a known small counter (the verification checks the key's HMAC and
// does not derive, so its cost does not depend on the counter or SIGNUP_CHALLENGE_COST).
// One at a time, then 32 at once as the web sees them under load (WebCrypto's jobs cost less when they overlap).
const verified = {};
for (const concurrency of [1, 32]) {
  const presolved = await presolvedAltcha({ appSecret: env.APP_SECRET, count: Number(args.verifies), cost, ttlSeconds: 300 });
  cpu = process.cpuUsage();
  wall = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < presolved.length)
        if ((await altcha.verify(presolved[next++])) !== 'verified') throw new Error('a pre-solved challenge was refused');
    }),
  );
  verified[concurrency] = { cpuUs: (cpuMs(cpu) * 1000) / presolved.length, wallUs: ((performance.now() - wall) * 1000) / presolved.length };
}
for (const payload of payloads.slice(0, 1))
  if ((await altcha.verify(payload)) !== 'verified') throw new Error('a solved challenge was refused');

// The domain lists: a lookup per parent domain in a Set of ~56,000.
const policy = new EmailDomainPolicy({ DISPOSABLE_EMAILS: 'refuse' });
cpu = process.cpuUsage();
for (let i = 0; i < 100_000; i++) policy.judge(`mail${i % 100}.eu.example.com`);
const domainUs = (cpuMs(cpu) * 1000) / 100_000;

store.onModuleDestroy();
console.log(`Sign-up guard (load average ${loadavg()[0].toFixed(2)}, SIGNUP_CHALLENGE_COST=${cost}):`);
console.log(
  `  solver, altcha-lib, 1 thread: median ${median(solveMs).toFixed(0)} ms per challenge (min ${Math.min(...solveMs).toFixed(0)}, max ${Math.max(...solveMs).toFixed(0)}, ${solveMs.length} solves)`,
);
console.log(`  server per challenge issued:  ${issueCpuUs.toFixed(0)} µs CPU (${issueWallUs.toFixed(0)} µs wall)`);
for (const [concurrency, { cpuUs, wallUs }] of Object.entries(verified))
  console.log(
    `  server per solution verified, ${concurrency.padStart(2)} at once: ${cpuUs.toFixed(0)} µs CPU (${wallUs.toFixed(0)} µs wall, Redis SET NX included)`,
  );
console.log(`  domain lists per address:     ${domainUs.toFixed(2)} µs CPU`);
