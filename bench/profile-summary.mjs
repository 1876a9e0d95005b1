// Summarises V8 .cpuprofile files (node --cpu-prof): self time by package and by function,
// as a share of the busy (non-idle) samples. Usage: node bench/profile-summary.mjs FILE... [--top N]
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const topIndex = argv.indexOf('--top');
const top = topIndex >= 0 ? Number(argv.splice(topIndex, 2)[1]) : 25;

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

const byPackage = new Map();
const byFunction = new Map();
let busy = 0;
let total = 0;
for (const file of argv) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  // timeDeltas[i] is the time before sample i; attribute it to that sample's node.
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  for (const [id, micros] of dt) {
    const { callFrame } = nodes.get(id);
    total += micros;
    if (callFrame.functionName === '(idle)') continue;
    busy += micros;
    const pkg = packageOf(callFrame.url, callFrame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
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
console.log(`${argv.length} profile(s): ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((busy / total) * 100).toFixed(0)}%)`);
print('Self time by package (share of busy time):', byPackage);
print('Self time by function:', byFunction);
