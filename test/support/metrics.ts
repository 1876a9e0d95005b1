import { waitFor } from './wait-for.js';

/**
 * One sample's value from a Prometheus text exposition, e.g. `signup_emails_sent_total{kind="confirmation"}`.
 * A series that is not there throws (a renamed metric or label must fail the test, not read as 0),
 * unless `absentAs` says what it stands for (a labelled counter has no series before its first count).
 */
export function sample(text: string, series: string, { absentAs }: { absentAs?: number } = {}): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (line) return Number(line.slice(series.length + 1));
  if (absentAs !== undefined) return absentAs;
  throw new Error(
    `No series ${series} in the metrics:\n${
      text
        .split('\n')
        .filter((l) => l.startsWith(series.split('{')[0]))
        .join('\n') || '(none of that name)'
    }`,
  );
}

/** GET /metrics with the admin token (the web's public port requires it; internal ports ignore it), or without (`token: ''`). */
export async function scrape(baseUrl: string, { token = process.env.ADMIN_TOKEN } = {}): Promise<string> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}

/** The queue and outbox as /metrics reports them. */
export async function backlog(baseUrl: string) {
  const text = await scrape(baseUrl);
  const state = (s: string) => sample(text, `signup_queue_jobs{state="${s}"}`);
  return {
    outbox: sample(text, 'signup_outbox_backlog'),
    waiting: state('waiting'),
    active: state('active'),
    delayed: state('delayed'),
    failed: state('failed'),
  };
}

/**
 * Waits until every email asked for so far is provably dealt with: no outbox record waits for the
 * relay and no mail job waits, runs or waits for a retry (seen twice in a row, through /metrics).
 * Only then is "nothing (more) was sent" worth asserting.
 */
export async function waitUntilIdle(baseUrl: string, timeoutMs = 20_000): Promise<void> {
  let quietReads = 0;
  await waitFor(
    async () => {
      const b = await backlog(baseUrl);
      quietReads = b.outbox + b.waiting + b.active + b.delayed === 0 ? quietReads + 1 : 0;
      return quietReads >= 2;
    },
    { timeoutMs, intervalMs: 30, what: 'the outbox and the mail queue to be empty' },
  );
}
