/** One sample's value from a Prometheus text exposition, e.g. `signup_emails_sent_total{kind="confirmation"}`; 0 when absent. */
export function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** Reads /metrics; with the admin token, as the web's public port asks for it (internal ports ignore it). */
export async function scrape(baseUrl: string, { token = process.env.ADMIN_TOKEN } = {}): Promise<string> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}
