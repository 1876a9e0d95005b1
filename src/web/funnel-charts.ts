/**
 * Server-rendered SVG charts for the admin overview: no script, nothing for the CSP to allow. Each
 * chart is an image with a title and a description (its text alternative); the page puts the
 * numbers in a table beside it. Series differ in colour and in dash pattern, so colour is not the
 * only way to tell them apart.
 */
export interface ChartSeries {
  name: string;
  values: number[];
  colour: string;
  dash?: string;
}

export interface Chart {
  id: string;
  title: string;
  summary: string;
  svg: string;
}

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { top: 12, right: 28, bottom: 36, left: 48 };

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A round maximum for the axis: 1, 2 or 5 times a power of ten, at least 1. */
export function niceMax(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= value) ?? 10 * power;
}

/** A line chart of several series over the same labels, with a legend, axis marks and a text alternative. */
export function lineChart(id: string, title: string, labels: string[], series: ChartSeries[]): Chart {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (labels.length <= 1 ? plotW / 2 : (i * plotW) / (labels.length - 1));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const grid = [0, 0.5, 1]
    .map((f) => {
      const v = max * f;
      return `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#cbd2d9" stroke-width="1"/><text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="12" fill="#52606d">${Number.isInteger(v) ? v : v.toFixed(1)}</text>`;
    })
    .join('');
  const step = Math.max(1, Math.ceil(labels.length / 8));
  const ticks = labels
    .map((label, i) =>
      i % step === 0
        ? `<text x="${x(i)}" y="${HEIGHT - PAD.bottom + 18}" text-anchor="middle" font-size="12" fill="#52606d">${escape(label)}</text>`
        : '',
    )
    .join('');
  const lines = series
    .map(
      (s) =>
        `<polyline fill="none" stroke="${s.colour}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} points="${s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`,
    )
    .join('');
  const legend = series
    .map((s, i) => {
      const lx = PAD.left + i * 170;
      return `<line x1="${lx}" x2="${lx + 24}" y1="${HEIGHT - 8}" y2="${HEIGHT - 8}" stroke="${s.colour}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/><text x="${lx + 30}" y="${HEIGHT - 4}" font-size="12" fill="#1f2933">${escape(s.name)}</text>`;
    })
    .join('');
  const summary = describe(labels, series);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" class="chart">` +
    `<title id="${id}-title">${escape(title)}</title><desc id="${id}-desc">${escape(summary)}</desc>` +
    `${grid}${ticks}${lines}${legend}</svg>`;
  return { id, title, summary, svg };
}

/** The text alternative: each series' total and its peak, and where the numbers are. */
function describe(labels: string[], series: ChartSeries[]): string {
  const parts = series.map((s) => {
    const total = s.values.reduce((a, b) => a + b, 0);
    if (total === 0) return `${s.name}: none`;
    const peak = Math.max(...s.values);
    return `${s.name}: ${total} in all, at most ${peak} (${labels[s.values.indexOf(peak)]})`;
  });
  return `${parts.join('; ')}. From ${labels[0]} to ${labels[labels.length - 1]}; every value is in the table that follows.`;
}
