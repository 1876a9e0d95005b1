// Summarises V8 .cpuprofile files (node --cpu-prof): self time by package and by function,
// as a share of the busy (non-idle) samples.
// Usage: node bench/profile-summary.mjs FILE... [--top N] [--skip-ms N]
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const topIndex = argv.indexOf('--top');
const top = topIndex >= 0 ? Number(argv.splice(topIndex, 2)[1]) : 25;
// --skip-ms N leaves out the first N ms of each profile (start-up: module loading, Nest bootstrap).
const skipIndex = argv.indexOf('--skip-ms');
const skipMs = skipIndex >= 0 ? Number(argv.splice(skipIndex, 2)[1]) : 0;

/** node_modules/<pkg> (scoped too), the app's own dist/, node internals, or V8's pseudo-frames. */
function packageOf(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node:' + (url.startsWith('node:internal') ? 'internal' : url.slice(5));
  if (/\/dist\//.test(url)) return 'app (dist/)';
  if (/\/bench\//.test(url)) return 'bench';
  return url;
}

// Coarse layers, to say what dominates. Socket writes are kept apart: in a profile they include
// the time the process is preempted by the woken reader (PostgreSQL, the emulator) on 2 cores.
const LAYERS = [
  ['PostgreSQL driver (pg)', /^(pg|pg-protocol|pg-pool|pg-types|postgres-.*)$/],
  ['TypeORM', /^typeorm$/],
  ['Redis/BullMQ', /^(ioredis|bullmq|msgpackr|cluster-key-slot|denque|@ioredis\/.*)$/],
  ['AWS SDK', /^(@aws-sdk\/.*|@smithy\/.*|fast-xml-parser|strnum|tslib|bowser|uuid)$/],
  [
    'Nest + class-validator/transformer',
    /^(@nestjs\/.*|rxjs|class-validator|class-transformer|reflect-metadata|validator|libphonenumber-js|iterare|uid|fast-safe-stringify|eventemitter2|lodash)$/,
  ],
  ['Handlebars', /^(handlebars|hbs)$/],
  [
    'Fastify',
    /^(fastify|@fastify\/.*|find-my-way|avvio|light-my-request|fast-json-stringify|fast-querystring|secure-json-parse|reusify|toad-cache|process-warning)$/,
  ],
  [
    'pino logging',
    /^(pino|pino-http|pino-std-serializers|nestjs-pino|@pinojs\/.*|sonic-boom|fast-redact|on-exit-leak-free|thread-stream)$/,
  ],
];
const SOCKET_WRITES = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String']);
function layerOf(callFrame, pkg) {
  if (SOCKET_WRITES.has(callFrame.functionName)) return 'socket writes (syscall + preemption)';
  if (pkg.startsWith('(')) return pkg;
  if (pkg.startsWith('node:')) return 'Node core (http, net, streams, module loading)';
  if (pkg === 'app (dist/)' || pkg === 'bench') return 'application code';
  const layer = LAYERS.find(([, re]) => re.test(pkg));
  return layer ? layer[0] : 'other packages (helmet, throttler, csrf, …)';
}

const byLayer = new Map();
const byPackage = new Map();
const byFunction = new Map();
let busy = 0;
let total = 0;
for (const file of argv) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  // timeDeltas[i] is the time before sample i; attribute it to that sample's node.
  let elapsed = 0;
  profile.samples.forEach((id, i) => {
    elapsed += profile.timeDeltas[i] ?? 0;
    if (elapsed >= skipMs * 1000) dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  for (const [id, micros] of dt) {
    const { callFrame } = nodes.get(id);
    total += micros;
    if (callFrame.functionName === '(idle)') continue;
    busy += micros;
    const pkg = packageOf(callFrame.url, callFrame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
    const layer = layerOf(callFrame, pkg);
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + micros);
    const fn = `${callFrame.functionName || '(anonymous)'} ${pkg}${callFrame.url ? ':' + (callFrame.lineNumber + 1) : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
  }
}

const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((v / busy) * 100).toFixed(1).padStart(6)}%  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
};
console.log(
  `${argv.length} profile(s): ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((busy / total) * 100).toFixed(0)}%)`,
);
print('Self time by layer (share of busy time):', byLayer);
print('Self time by package:', byPackage);
print('Self time by function:', byFunction);
