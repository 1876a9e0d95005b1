// The bench's HTTP load generator: wrk (Debian's package), driven by wrk.lua. wrk runs under `sh`
// whose `times` builtin prints the CPU time (user + system) of its finished children, so each load
// reports the generator's own CPU, exactly, next to what it measured.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const SCRIPT = join(import.meta.dirname, 'wrk.lua');

const hasWrk = () => {
  try {
    execFileSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** Installs wrk with apt-get when it is missing; stops the bench with one line if that fails. */
export function ensureWrk() {
  if (hasWrk()) return;
  console.log('wrk is missing: apt-get install -y wrk ...');
  try {
    execFileSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'ignore' });
  } catch {
    // reported below
  }
  if (!hasWrk()) {
    console.error(
      'The bench needs wrk (Debian package "wrk") and could not install it: run `apt-get install -y wrk` as root, then the bench again.',
    );
    process.exit(1);
  }
}

/**
 * One wrk load: POSTs of `template` ("{email}": a unique address under `prefix`; "{line}": the next
 * line of `linesFile`, from `offset` on) to `url` from `connections` keep-alive connections on
 * `threads` threads for `seconds`. Returns counts, latency (ms), status counts, the generator's CPU
 * (ms) and `nextOffset`, the first line of `linesFile` this load did not reach.
 */
export async function runWrk({
  url,
  connections,
  threads = 2,
  seconds,
  template,
  prefix,
  linesFile = '',
  offset = 0,
  timeoutSeconds = 30,
}) {
  const args = [
    ...['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--timeout', `${timeoutSeconds}s`, '--latency'],
    ...['-s', SCRIPT, url, '--', template, prefix, linesFile, String(threads), String(offset)],
  ];
  const child = spawn('sh', ['-c', 'wrk "$@"; status=$?; times >&2; exit $status', 'sh', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = await once(child, 'exit');
  const line = /^WRK_RESULT (.*)$/m.exec(stdout)?.[1];
  if (code !== 0 || !line) throw new Error(`wrk failed (exit ${code}): ${stderr.trim() || stdout.trim()}`);
  const r = JSON.parse(line);
  // `times`: the shell's own user and system time, then its children's (wrk's) on the last line.
  const t = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s\s*$/.exec(stderr.trim());
  const generatorCpuMs = t ? (Number(t[1]) * 60 + Number(t[2]) + Number(t[3]) * 60 + Number(t[4])) * 1000 : NaN;
  const durationMs = r.durationUs / 1000;
  const non2xx = Object.entries(r.statuses).reduce((n, [status, count]) => (status.startsWith('2') ? n : n + count), 0);
  const socketErrors = r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout;
  return {
    perSecond: (r.requests / durationMs) * 1000,
    total: r.requests,
    // Requests sent, those still in flight when wrk stopped included (the server handles them too).
    made: r.made,
    durationMs,
    p50: r.p50Us / 1000,
    p90: r.p90Us / 1000,
    p99: r.p99Us / 1000,
    max: r.maxUs / 1000,
    statuses: r.statuses,
    non2xx,
    errors: socketErrors,
    wrkErrors: r.errors,
    generatorCpuMs,
    nextOffset: offset + threads * r.mostPerThread,
    text: stdout.replace(/^WRK_RESULT .*\n?/m, ''),
  };
}

/**
 * A warm-up load, then the measured one, `onMeasuring` called between them (the bench waits there
 * for the server to finish the warm-up's requests still in flight, then starts its CPU and event-loop
 * figures). Addresses and lines are never reused between the two.
 */
export async function warmedLoad({ warmupSeconds, prefix, onMeasuring, ...load }) {
  const warmup = await runWrk({ ...load, seconds: warmupSeconds, prefix: `${prefix}w` });
  await onMeasuring?.();
  const result = await runWrk({ ...load, prefix: `${prefix}m`, offset: warmup.nextOffset });
  return {
    ...result,
    warmupTotal: warmup.total,
    warmupNon2xx: warmup.non2xx,
    generator: {
      cpuMs: result.generatorCpuMs,
      warmupCpuMs: warmup.generatorCpuMs,
      // Share of one core over the measured window, and CPU per request.
      coreShare: result.generatorCpuMs / result.durationMs,
      usPerRequest: (result.generatorCpuMs * 1000) / result.total,
    },
  };
}
