import type { FunnelStats } from '../overview/funnel-stats.service.js';
import type { ReputationState } from '../ses-feedback/reputation-guard.service.js';
import type { OverviewRange } from './admin-overview.query.js';
import { lineChart } from './funnel-charts.js';

// The levels at which AWS reviews and pauses an SES account.
const SES_LEVELS = { bounce: { review: 0.05, pause: 0.1 }, complaint: { review: 0.001, pause: 0.005 } };

const percent = (rate: number) => `${(rate * 100).toFixed(2)} %`;

/** What the overview page shows, from the funnel's figures and the reputation guard's state. */
export function overviewView(input: {
  range: OverviewRange;
  bucket: 'hour' | 'day';
  stats: FunnelStats;
  reputation: ReputationState;
  sesPause: string | null;
  duration: (seconds: number) => string;
}) {
  const { stats, reputation, bucket } = input;
  const labels = stats.buckets.map((b) => (bucket === 'hour' ? `${b.at.toISOString().slice(11, 16)}` : b.at.toISOString().slice(5, 10)));
  const fullLabels = stats.buckets.map((b) =>
    bucket === 'hour' ? `${b.at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : b.at.toISOString().slice(0, 10),
  );
  const sum = (key: 'registered' | 'sent' | 'confirmed' | 'bounced' | 'complained') => stats.buckets.reduce((n, b) => n + b[key], 0);
  const totals = {
    registered: sum('registered'),
    sent: sum('sent'),
    confirmed: sum('confirmed'),
    bounced: sum('bounced'),
    complained: sum('complained'),
  };
  const per = bucket === 'hour' ? 'hour' : 'day';
  const funnel = lineChart(`funnel-${per}`, `Sign-ups, emails sent and confirmations per ${per}`, labels, [
    { name: 'Sign-ups', values: stats.buckets.map((b) => b.registered), colour: '#1a56db' },
    { name: 'Emails sent', values: stats.buckets.map((b) => b.sent), colour: '#6b21a8', dash: '8 4' },
    { name: 'Confirmations', values: stats.buckets.map((b) => b.confirmed), colour: '#046c4e', dash: '2 3' },
  ]);
  const feedback = lineChart(`feedback-${per}`, `Bounces and complaints per ${per}`, labels, [
    { name: 'Bounces', values: stats.buckets.map((b) => b.bounced), colour: '#b42318' },
    { name: 'Complaints', values: stats.buckets.map((b) => b.complained), colour: '#8a4b08', dash: '8 4' },
  ]);
  const level = (rate: number, levels: { review: number; pause: number }) =>
    rate >= levels.pause
      ? 'at or over the level at which SES pauses sending'
      : rate >= levels.review
        ? 'at or over the level at which SES reviews the account'
        : 'below the level at which SES reviews the account';
  const seconds = (s: number | null) => (s === null ? 'no confirmations' : input.duration(Math.round(s)));
  const autoPause = reputation.autoPaused;
  return {
    ranges: [
      { value: '24h', label: 'Last 24 hours, by hour', selected: input.range === '24h' },
      { value: '30d', label: 'Last 30 days, by day', selected: input.range === '30d' },
    ],
    rangeLabel: input.range === '24h' ? 'the last 24 hours' : 'the last 30 days',
    totals,
    conversion: totals.registered > 0 ? percent(totals.confirmed / totals.registered) : 'no sign-ups',
    timeToConfirm: { p50: seconds(stats.timeToConfirm.p50Seconds), p90: seconds(stats.timeToConfirm.p90Seconds) },
    reputation: {
      sends: reputation.sends,
      bounceRate: percent(reputation.bounceRate),
      bounceLevel: level(reputation.bounceRate, SES_LEVELS.bounce),
      complaintRate: percent(reputation.complaintRate),
      complaintLevel: level(reputation.complaintRate, SES_LEVELS.complaint),
      warning: reputation.warning,
    },
    sending: input.sesPause
      ? `Paused: SES paused the account (${input.sesPause})`
      : autoPause
        ? `Paused automatically since ${autoPause.since.toISOString().replace('T', ' ').slice(0, 19)} UTC (${autoPause.reason})`
        : 'Not paused',
    paused: Boolean(input.sesPause || autoPause),
    waiting: stats.waiting,
    failed: stats.failed,
    charts: [
      {
        ...funnel,
        columns: ['Sign-ups', 'Emails sent', 'Confirmations'],
        rows: stats.buckets.map((b, i) => ({ label: fullLabels[i], values: [b.registered, b.sent, b.confirmed] })),
      },
      {
        ...feedback,
        columns: ['Bounces', 'Complaints'],
        rows: stats.buckets.map((b, i) => ({ label: fullLabels[i], values: [b.bounced, b.complained] })),
      },
    ],
    bucketName: bucket === 'hour' ? 'Hour (UTC)' : 'Day (UTC)',
  };
}
