/** 86400 → "24 hours", 5400 → "1 hour 30 minutes", 172800 → "2 days". */
export function humanDuration(totalSeconds: number): string {
  const units: Array<[string, number]> = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  if (totalSeconds % 86400 === 0 && totalSeconds <= 86400) return `${totalSeconds / 3600} hours`;
  const parts: string[] = [];
  let rest = totalSeconds;
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    rest -= n * size;
  }
  return parts.slice(0, 2).join(' ') || `${totalSeconds} seconds`;
}
