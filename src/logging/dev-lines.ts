import { Writable } from 'node:stream';

/**
 * LOG_FORMAT=pretty (what `npm run dev` asks for): one short line per log entry instead of JSON, so
 * the ready block does not scroll away. A request line reads `POST /api/users 202 14 ms <request id>`;
 * other entries `[Context] message key=value …`; an error's stack follows on its own lines.
 * Dev only: production writes JSON (one object per line) for log pipelines.
 */
const LEVELS: Record<number, [string, number]> = {
  10: ['TRACE', 90],
  20: ['DEBUG', 90],
  30: ['INFO ', 32],
  40: ['WARN ', 33],
  50: ['ERROR', 31],
  60: ['FATAL', 31],
};
/** Fields shown in their own way, or noise on a developer's terminal (the JSON lines keep them all). */
const SHOWN_OTHERWISE = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'msg',
  'context',
  'req',
  'res',
  'responseTime',
  'err',
  'outboxId',
  'jobId',
]);

interface Entry {
  level?: number;
  time?: number;
  msg?: unknown;
  context?: unknown;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number | null };
  responseTime?: number;
  requestId?: unknown;
  err?: { message?: string; stack?: string };
  [key: string]: unknown;
}

const value = (v: unknown) => (typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v));

export function formatDevLine(entry: Entry, colors = false): string {
  const paint = (code: number, text: string) => (colors ? `\x1b[${code}m${text}\x1b[0m` : text);
  const [name, color] = LEVELS[entry.level ?? 30] ?? ['INFO ', 32];
  const time = new Date(entry.time ?? Date.now()).toISOString().slice(11, 23);
  let text: string;
  let rest: string[];
  if (entry.req && entry.res) {
    const status = entry.res.statusCode ?? 'aborted';
    const ms = entry.responseTime === undefined ? '' : ` ${entry.responseTime} ms`;
    text = `${entry.req.method} ${entry.req.url} ${status}${ms} ${typeof entry.requestId === 'string' ? entry.requestId : ''}`.trimEnd();
    rest = [];
  } else {
    const context = typeof entry.context === 'string' ? `[${entry.context}] ` : '';
    text = `${context}${typeof entry.msg === 'string' ? entry.msg : value(entry.msg ?? '')}`;
    rest = Object.entries(entry)
      .filter(([key, v]) => !SHOWN_OTHERWISE.has(key) && v !== undefined)
      .map(([key, v]) => `${key}=${value(v)}`);
  }
  const stack = entry.err?.stack ? `\n${entry.err.stack}` : entry.err?.message ? ` ${entry.err.message}` : '';
  return `${paint(90, time)} ${paint(color, name)} ${text}${rest.length ? ` ${paint(90, rest.join(' '))}` : ''}${stack}\n`;
}

/** A pino destination writing formatDevLine()s (to stdout unless told otherwise). */
export function devLineStream(
  write: (text: string) => unknown = (text) => process.stdout.write(text),
  colors = Boolean(process.env.FORCE_COLOR) || process.stdout.isTTY,
): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        try {
          write(formatDevLine(JSON.parse(line) as Entry, colors));
        } catch {
          write(`${line}\n`);
        }
      }
      done();
    },
  });
}
