// Medians, ratios, targets and the printed table.
/** The median of the finite values (NaN when there are none). */
export const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Intake's CPU is counted from the end of the warm-up until the web has handled the last request sent.
const perIntake = (r, who) => (r.intake.cpuMs[who] * 1000) / r.intake.made;
const perEmail = (r, who) => (r.delivery.cpuMs[who] * 1000) / (r.delivery.store?.emails || NaN);

export const METRICS = [
  ['intake req/s', (r) => r.intake.requestsPerSecond],
  ['intake p50 ms', (r) => r.intake.p50],
  ['intake p99 ms', (r) => r.intake.p99],
  ['intake max ms', (r) => r.intake.max],
  ['intake non-2xx', (r) => r.intake.non2xx + r.intake.errors],
  ['intake web event-loop p99 ms', (r) => r.intake.loopDelay?.web.p99],
  ['intake web event-loop max ms', (r) => r.intake.loopDelay?.web.max],
  ['intake worker event-loop p99 ms', (r) => r.intake.loopDelay?.worker?.p99],
  ['delivery emails/s', (r) => r.delivery.emailsPerSecond],
  ['delivery p50 ms', (r) => r.delivery.p50],
  ['delivery p99 ms', (r) => r.delivery.p99],
  ['delivery missing', (r) => r.delivery.missing],
  ['delivery duplicates', (r) => r.delivery.duplicates],
  ['peak RSS web MB', (r) => r.rss.web],
  ['peak RSS worker MB', (r) => r.rss.worker],
  ['peak charged web MB', (r) => r.charged?.web],
  ['peak charged worker MB', (r) => r.charged?.worker],
  ['intake CPU us/req: web', (r) => perIntake(r, 'web')],
  ['intake CPU us/req: postgres', (r) => perIntake(r, 'postgres')],
  ['intake CPU us/req: redis', (r) => perIntake(r, 'redis')],
  ['delivery CPU us/email: web', (r) => perEmail(r, 'web')],
  ['delivery CPU us/email: worker', (r) => perEmail(r, 'worker')],
  ['delivery CPU us/email: postgres', (r) => perEmail(r, 'postgres')],
  ['delivery CPU us/email: redis', (r) => perEmail(r, 'redis')],
  ['delivery CPU us/email: emulator', (r) => perEmail(r, 'emulator')],
  ['sign-in/s', (r) => r.signIn?.signInsPerSecond],
  ['sign-in p99 ms', (r) => r.signIn?.p99],
  ['sign-in non-2xx', (r) => (r.signIn ? r.signIn.non2xx + r.signIn.errors : undefined)],
  ['sign-in web CPU ms/sign-in', (r) => r.signIn?.webCpuMsPerSignIn],
  ['sign-ins per web CPU-second', (r) => (r.signIn ? 1000 / r.signIn.webCpuMsPerSignIn : undefined)],
  ['intake wrk CPU % of a core', (r) => r.intake.generator.coreShare * 100],
  ['intake wrk CPU us/req', (r) => r.intake.generator.usPerRequest],
  ['sign-in wrk CPU % of a core', (r) => (r.signIn ? r.signIn.generator.coreShare * 100 : undefined)],
];

/** Service/baseline ratios of one run: ratios are only meaningful within a run on this shared machine. */
export function ratios(service, baseline) {
  return {
    intakeRps: service.intake.requestsPerSecond / baseline.intake.requestsPerSecond,
    intakeP99: service.intake.p99 / baseline.intake.p99,
    webLoopP99: service.intake.loopDelay.web.p99 / baseline.intake.loopDelay.web.p99,
    deliveryRate: service.delivery.emailsPerSecond / baseline.delivery.emailsPerSecond,
    deliveryP99: service.delivery.p99 / baseline.delivery.p99,
  };
}

/** `nodeFlags`: the flags both sides' processes ran with (NODE_OPTIONS and --node-args), for the RSS targets' label. */
export function summarize(runs, nodeFlags) {
  const med = (who) => Object.fromEntries(METRICS.map(([name, get]) => [name, median(runs.map((r) => get(r[who])))]));
  const ratioMedians = Object.fromEntries(Object.keys(runs[0].ratios).map((k) => [k, median(runs.map((r) => r.ratios[k]))]));
  const service = med('service');
  // Issue 28's targets. The RSS ones are meant with heap flags: run the bench with them (the image's:
  // --node-args=--max-semi-space-size=8) and, for a pod's view, --memory-limit (docs/memory.md).
  const heapFlags = nodeFlags ? ` (with ${nodeFlags})` : ' (no heap flags)';
  const targets = {
    'intake >= 0.95 x baseline': ratioMedians.intakeRps >= 0.95,
    'intake p99 <= 1.5 x baseline': ratioMedians.intakeP99 <= 1.5,
    'delivery >= 1.0 x baseline': ratioMedians.deliveryRate >= 1,
    'zero missing, zero duplicates': runs.every((r) => r.service.delivery.missing === 0 && r.service.delivery.duplicates === 0),
    [`web peak RSS < 150 MB${heapFlags}`]: service['peak RSS web MB'] < 150,
    [`worker peak RSS < 120 MB${heapFlags}`]: service['peak RSS worker MB'] < 120,
  };
  const betterAuth = runs[0]['better-auth'] ? med('better-auth') : undefined;
  const betterAuthRatios = runs[0].betterAuthRatios
    ? Object.fromEntries(Object.keys(runs[0].betterAuthRatios).map((k) => [k, median(runs.map((r) => r.betterAuthRatios[k]))]))
    : undefined;
  return { service, baseline: med('baseline'), betterAuth, ratios: ratioMedians, betterAuthRatios, targets };
}

/** --backend postgres: the service on PostgreSQL (as `service`) against itself on Redis (as `baseline`). */
export function summarizeBackends(runs) {
  const med = (who) => Object.fromEntries(METRICS.map(([name, get]) => [name, median(runs.map((r) => get(r[who])))]));
  const ratioMedians = Object.fromEntries(Object.keys(runs[0].ratios).map((k) => [k, median(runs.map((r) => r.ratios[k]))]));
  const targets = {
    'postgres delivery >= 0.5 x redis': ratioMedians.deliveryRate >= 0.5,
    'zero missing in both modes': runs.every((r) => r.postgres.delivery.missing === 0 && r.redis.delivery.missing === 0),
  };
  return { service: med('postgres'), baseline: med('redis'), ratios: ratioMedians, targets };
}

const fmt = (x) => (!Number.isFinite(x) ? '—' : Number.isInteger(x) ? String(x) : x.toFixed(x >= 100 ? 0 : x >= 10 ? 1 : 2));

export function printTable(summary, runCount, [serviceLabel, baselineLabel, ratioLabel] = ['service', 'baseline', 'service/baseline']) {
  const rows = METRICS.map(([name]) => {
    const s = summary.service[name];
    const b = summary.baseline[name];
    const ratio = b ? fmt(s / b) : '';
    return [name, fmt(s), fmt(b), ratio];
  });
  const head = [`median of ${runCount} run(s)`, serviceLabel, baselineLabel, 'ratio'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows) console.log(line(r));
  console.log(`\nMedian of the per-run ratios (${ratioLabel}, measured in the same run):`);
  for (const [k, v] of Object.entries(summary.ratios)) console.log(`  ${k.padEnd(13)} ${v.toFixed(2)}`);
  console.log('\nTargets:');
  for (const [k, ok] of Object.entries(summary.targets)) console.log(`  ${ok ? 'met   ' : 'MISSED'}  ${k}`);
}

const PEER_ROWS = [
  ['sign-ups/s (intake)', 'intake req/s'],
  ['sign-up p99 ms', 'intake p99 ms'],
  ['sign-up non-2xx', 'intake non-2xx'],
  ['emails/s (delivery)', 'delivery emails/s'],
  ['missing / duplicate emails', (m) => `${fmt(m['delivery missing'])} / ${fmt(m['delivery duplicates'])}`],
  ['sign-ins/s', 'sign-in/s'],
  ['sign-in p99 ms', 'sign-in p99 ms'],
  ['web CPU us per sign-up (intake)', 'intake CPU us/req: web'],
  ['PostgreSQL CPU us per sign-up (intake)', 'intake CPU us/req: postgres'],
  ['web CPU ms per sign-in', 'sign-in web CPU ms/sign-in'],
  ['sign-ins per web CPU-second (hashes/s per core)', 'sign-ins per web CPU-second'],
  ['peak RSS web MB (delivery)', 'peak RSS web MB'],
  ['wrk CPU, % of one core (intake)', 'intake wrk CPU % of a core'],
  ['wrk CPU, % of one core (sign-in)', 'sign-in wrk CPU % of a core'],
];

/** The floor, this service and Better Auth side by side (medians of the runs; absolute figures). */
export function printPeers(summary, runCount) {
  if (!summary.betterAuth) return;
  const sides = [summary.baseline, summary.service, summary.betterAuth];
  const rows = PEER_ROWS.map(([label, key]) => [label, ...sides.map((m) => (typeof key === 'function' ? key(m) : fmt(m[key])))]);
  const head = [`median of ${runCount} run(s)`, 'floor', 'this service', 'Better Auth'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows) console.log(line(r));
  console.log('\nMedian of the per-run ratios (Better Auth / floor, measured in the same run):');
  for (const [k, v] of Object.entries(summary.betterAuthRatios)) console.log(`  ${k.padEnd(13)} ${v.toFixed(2)}`);
}
