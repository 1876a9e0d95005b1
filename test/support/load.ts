/** Registers each address through POST /api/users, `concurrency` at a time; returns each answer's status. */
export async function registerAll(baseUrl: string | (() => string), emails: string[], concurrency = 16): Promise<number[]> {
  const statuses: number[] = new Array(emails.length);
  let next = 0;
  const url = typeof baseUrl === 'string' ? () => baseUrl : baseUrl;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < emails.length) {
        const i = next++;
        try {
          const res = await fetch(`${url()}/api/users`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: emails[i] }),
          });
          statuses[i] = res.status;
          await res.arrayBuffer();
        } catch {
          statuses[i] = 0; // connection refused or reset
        }
      }
    }),
  );
  return statuses;
}

export const addresses = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}.${i}.${Date.now()}@example.com`);

/** How many emails each address received, from the emulator's store. */
export function tally(emails: Array<{ destination: { to: string[] } }>, wanted: string[]) {
  const counts = new Map<string, number>(wanted.map((a) => [a, 0]));
  for (const e of emails) for (const to of e.destination.to) if (counts.has(to)) counts.set(to, counts.get(to)! + 1);
  const values = [...counts.values()];
  return {
    delivered: values.filter((n) => n > 0).length,
    missing: values.filter((n) => n === 0).length,
    duplicates: values.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
  };
}
