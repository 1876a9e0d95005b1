import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrape } from '../support/metrics.js';
import { exportedNames, metricNames } from '../support/promql.js';
import { startStack, type Stack } from '../support/stack.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PROMETHEUS = join(ROOT, 'docker', 'prometheus');
const GRAFANA = join(ROOT, 'docker', 'grafana');

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
}
const rules = (parseYaml(readFileSync(join(PROMETHEUS, 'rules.yml'), 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap(
  (g) => g.rules,
);
const dashboard = JSON.parse(readFileSync(join(GRAFANA, 'dashboards', 'signup.json'), 'utf8')) as {
  panels: Array<{ title: string; datasource: { uid: string }; targets: Array<{ expr: string }> }>;
};

/** promtool from Debian's `prometheus` package; a missing one fails these tests (CI installs it), never skips them. */
function promtool(...args: string[]): string {
  try {
    return execFileSync('promtool', args, { cwd: PROMETHEUS, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`promtool ${args.join(' ')} failed: ${message}\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
}

describe('Prometheus rules (docker/prometheus)', () => {
  it('pass `promtool check rules`', () => {
    expect(promtool('check', 'rules', 'rules.yml')).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('pass `promtool test rules`, with a test for every alert', () => {
    expect(promtool('test', 'rules', 'tests/alerts.test.yml')).toContain('SUCCESS');
    const tests = parseYaml(readFileSync(join(PROMETHEUS, 'tests', 'alerts.test.yml'), 'utf8')) as {
      tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
    };
    const firing = new Set(tests.tests.flatMap((t) => t.alert_rule_test.filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)));
    const alerts = rules.filter((r) => r.alert).map((r) => r.alert);
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    expect(alerts.filter((a) => !firing.has(a!))).toEqual([]);
  });
});

describe('every metric the rules and the Grafana dashboard read is one the service exports', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({}, { worker: false })));
  afterAll(async () => stack?.close());

  it('finds each name of every rule and panel in the real /metrics', async () => {
    const exported = exportedNames(await scrape(stack.url));
    expect(exported.has('signup_registrations_total')).toBe(true); // the parser reads this exposition
    const recorded = new Set(rules.filter((r) => r.record).map((r) => r.record!));
    // `up` is Prometheus's own, one per scrape target.
    const known = (name: string) => exported.has(name) || recorded.has(name) || name === 'up';
    const unknown = [
      ...rules.map((r) => ({ where: r.record ?? r.alert, expr: r.expr })),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => ({ where: `panel "${p.title}"`, expr: t.expr }))),
    ].flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !known(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
    expect(metricNames('sum by (le) (rate(signup_email_send_latency_seconds_bucket{kind="x"}[5m])) > 0 and on() up offset 1h')).toEqual([
      'signup_email_send_latency_seconds_bucket',
      'up',
    ]);
  });

  it('is provisioned: the dashboard uses the provisioned data source, and the compose file mounts both under the monitoring profile', () => {
    const sources = parseYaml(readFileSync(join(GRAFANA, 'provisioning', 'datasources', 'prometheus.yml'), 'utf8')) as {
      datasources: Array<{ uid: string; url: string }>;
    };
    expect(new Set(dashboard.panels.map((p) => p.datasource.uid))).toEqual(new Set([sources.datasources[0].uid]));
    const compose = parseYaml(readFileSync(join(ROOT, 'docker', 'compose.yml'), 'utf8')) as {
      services: Record<string, { profiles?: string[]; volumes?: string[]; environment?: Record<string, string> }>;
    };
    expect(compose.services.prometheus.profiles).toEqual(['monitoring']);
    expect(compose.services.grafana.profiles).toEqual(['monitoring']);
    expect(compose.services.prometheus.volumes).toContain('./prometheus:/etc/prometheus:ro');
    expect(compose.services.grafana.volumes).toEqual([
      './grafana/provisioning:/etc/grafana/provisioning:ro',
      './grafana/dashboards:/var/lib/grafana/dashboards:ro',
    ]);
    // Prometheus scrapes the web's METRICS_PORT and the worker's WORKER_HEALTH_PORT.
    const config = readFileSync(join(PROMETHEUS, 'prometheus.yml'), 'utf8');
    expect(config).toContain(`web:${compose.services.web.environment!.METRICS_PORT}`);
    expect(config).toContain(`worker:${compose.services.worker.environment!.WORKER_HEALTH_PORT}`);
  });
});
