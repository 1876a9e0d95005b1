import { describe, expect, it } from 'vitest';
import { DURATION_SLOT_BASE } from '../../src/common/hourly.js';
import { emptyHour, quantileSeconds, toBuckets } from '../../src/overview/funnel.js';
import { statsRange } from '../../src/overview/stats-range.js';
import { lineChart, niceMax } from '../../src/web/funnel-charts.js';

const slotOf = (seconds: number) => Math.floor(Math.log(Math.max(seconds, 1)) / Math.log(DURATION_SLOT_BASE));
const histogram = (durations: number[]) => {
  const h = new Map<number, number>();
  for (const d of durations) h.set(slotOf(d), (h.get(slotOf(d)) ?? 0) + 1);
  return h;
};

describe('the funnel figures', () => {
  it('reads percentiles from the duration histogram within 2.5 % of the exact ones', () => {
    const durations = Array.from({ length: 1000 }, (_, i) => 5 + i * 37);
    const sorted = [...durations].sort((a, b) => a - b);
    for (const q of [0.5, 0.9]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1];
      const estimate = quantileSeconds(histogram(durations), q)!;
      expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(0.025);
    }
    expect(quantileSeconds(new Map(), 0.5)).toBeNull();
    expect(quantileSeconds(histogram([0.2]), 0.5)).toBe(1);
  });

  it('adds hours into whole buckets, empty ones included', () => {
    const start = new Date('2026-12-01T00:00:00Z');
    const hours = [
      { ...emptyHour(new Date('2026-12-01T05:00:00Z')), registered: 2 },
      { ...emptyHour(new Date('2026-12-02T23:00:00Z')), registered: 3, confirmed: 1 },
    ];
    expect(
      toBuckets(hours, start, new Date('2026-12-04T00:00:00Z'), 'day').map((b) => [
        b.at.toISOString().slice(0, 10),
        b.registered,
        b.confirmed,
      ]),
    ).toEqual([
      ['2026-12-01', 2, 0],
      ['2026-12-02', 3, 1],
      ['2026-12-03', 0, 0],
    ]);
  });

  it('turns a request into whole UTC buckets, and refuses a backwards or too long range', () => {
    const now = new Date('2026-12-04T11:42:00Z');
    expect(statsRange({}, now)).toEqual({ start: new Date('2026-12-03T11:00:00Z'), end: new Date('2026-12-04T12:00:00Z'), bucket: 'hour' });
    expect(statsRange({ bucket: 'day' }, now)).toEqual({
      start: new Date('2026-11-04T00:00:00Z'),
      end: new Date('2026-12-05T00:00:00Z'),
      bucket: 'day',
    });
    expect(() => statsRange({ from: '2026-12-04T00:00:00Z', to: '2026-12-03T00:00:00Z' }, now)).toThrow('from must be before to');
    expect(() => statsRange({ from: '2026-01-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }, now)).toThrow(/at most 744/);
  });

  it('draws a chart with a title, a description naming totals and peaks, and round axis marks', () => {
    const chart = lineChart(
      'c',
      'Sign-ups per hour',
      ['10:00', '11:00', '12:00'],
      [{ name: 'Sign-ups', values: [1, 7, 2], colour: '#000' }],
    );
    expect(chart.svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="c-title c-desc"/);
    expect(chart.svg).toContain('<title id="c-title">Sign-ups per hour</title>');
    expect(chart.summary).toBe('Sign-ups: 10 in all, at most 7 (11:00). From 10:00 to 12:00; every value is in the table that follows.');
    expect([niceMax(0), niceMax(7), niceMax(12), niceMax(450)]).toEqual([1, 10, 20, 500]);
    expect(lineChart('x', 'A <b>', ['<'], [{ name: '&', values: [0], colour: '#000' }]).svg).not.toMatch(/<b>|>&<|>< /);
  });
});
