import { join } from 'node:path';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { describe, expect, it } from 'vitest';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { type K8sObject, kustomizeBuild } from '../support/kustomize.js';
import { exportedNames, metricNames } from '../support/promql.js';

const KUBERNETES = join(import.meta.dirname, '..', '..', 'deploy', 'kubernetes');

// The Kubernetes and KEDA schemas (kubernetes-models, @kubernetes-models/keda), by apiVersion and kind.
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
};

const mebibytes = (quantity: string) => {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`Unexpected memory quantity ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
};

describe('the Kubernetes manifests (deploy/kubernetes)', () => {
  const base = kustomizeBuild(join(KUBERNETES, 'base'));
  const production = kustomizeBuild(join(KUBERNETES, 'overlays', 'production'));
  const find = (objects: K8sObject[], kind: string, name: string) => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`No ${kind}/${name}`);
    return found;
  };
  const container = (o: K8sObject) => o.spec.template.spec.containers[0];
  const env = (o: K8sObject, name: string) =>
    (container(o).env as Array<{ name: string; value: string }>).find((e) => e.name === name)?.value;

  it('validate against the Kubernetes and KEDA schemas, base and production overlay', () => {
    for (const object of [...base, ...production]) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect(Model, `a schema for ${object.apiVersion} ${object.kind}`).toBeDefined();
      expect(() => new Model(object as never).validate(), `${object.kind}/${object.metadata.name}`).not.toThrow();
    }
    expect(production.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      [
        'ConfigMap/signup-config',
        'Deployment/signup-web',
        'Deployment/signup-worker',
        'HorizontalPodAutoscaler/signup-web',
        'Job/signup-migrate',
        'PodDisruptionBudget/signup-web',
        'PodDisruptionBudget/signup-worker',
        'ScaledObject/signup-worker',
        'Service/signup-web',
      ].sort(),
    );
    // The schemas catch what they know: a wrong type, a missing field.
    const broken = structuredClone(find(production, 'Deployment', 'signup-web'));
    broken.spec.replicas = 'three';
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas must be integer/);
  });

  it('build the production overlay: its namespace, the pinned image everywhere, its patches on the base', () => {
    expect(new Set(production.map((o) => o.metadata.namespace))).toEqual(new Set(['signup']));
    const pods = production.filter((o) => o.spec?.template?.spec);
    expect(new Set(pods.map((o) => container(o).image))).toEqual(new Set(['ghcr.io/example/signup-confirm:1.0.0']));
    expect(find(production, 'Deployment', 'signup-web').spec.replicas).toBe(3);
    expect(find(base, 'Deployment', 'signup-web').spec.replicas).toBe(2);
    expect(find(production, 'ScaledObject', 'signup-worker').spec.maxReplicaCount).toBe(8);
    expect(find(production, 'ConfigMap', 'signup-config').data).toMatchObject({
      APP_URL: 'https://signup.example.org',
      NODE_ENV: 'production',
    });
    expect(() => kustomizeBuild(join(import.meta.dirname, '..', 'fixtures', 'kustomize-unsupported'))).toThrow(
      /not supported by this check: configMapGenerator/,
    );
  });

  it('probe the web on /health (ready) and /health/live (alive), the worker on WORKER_HEALTH_PORT; the job migrates', () => {
    const web = find(production, 'Deployment', 'signup-web');
    expect(container(web).readinessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container(web).livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container(web).ports).toContainEqual({ name: 'http', containerPort: 3000 });
    const worker = find(production, 'Deployment', 'signup-worker');
    const healthPort = (container(worker).ports as Array<{ name: string; containerPort: number }>).find(
      (p) => p.name === 'health',
    )!.containerPort;
    expect(String(healthPort)).toBe(env(worker, 'WORKER_HEALTH_PORT'));
    expect(container(worker).readinessProbe.httpGet).toEqual({ path: '/health', port: 'health' });
    expect(container(worker).livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'health' });
    expect(container(find(production, 'Job', 'signup-migrate')).command).toEqual(['node', 'dist/database/migrate.js']);
    // SIGTERM: both finish their work within 30 s; the grace period leaves room for it.
    for (const d of [web, worker]) expect(d.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(30);
    expect(web.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  it('size memory from the bench (peak RSS web 173 MB, worker 195 MB) and cap the V8 heap below the limit', () => {
    for (const [name, peakMb] of [
      ['signup-web', 173],
      ['signup-worker', 195],
    ] as const) {
      const d = find(production, 'Deployment', name);
      const { requests, limits } = container(d).resources;
      expect(mebibytes(requests.memory) * 1.048576).toBeGreaterThan(peakMb);
      const heap = Number(/--max-old-space-size=(\d+)/.exec(env(d, 'NODE_OPTIONS') ?? '')?.[1]);
      expect(heap).toBeGreaterThan(peakMb);
      expect(heap).toBeLessThanOrEqual(mebibytes(limits.memory) * 0.8);
    }
  });

  it('scale the web on CPU and the workers on queue depth (KEDA, Prometheus scaler), on metrics the service exports; PDBs select the pods', async () => {
    const hpa = find(production, 'HorizontalPodAutoscaler', 'signup-web');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'signup-web' });
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
    const scaled = find(production, 'ScaledObject', 'signup-worker');
    expect(find(production, 'Deployment', scaled.spec.scaleTargetRef.name).metadata.name).toBe('signup-worker');
    const [trigger] = scaled.spec.triggers as Array<{ type: string; metadata: { query: string } }>;
    expect(trigger.type).toBe('prometheus');
    const exported = exportedNames(await new MetricsService().registry.metrics());
    expect(metricNames(trigger.metadata.query).filter((name) => !exported.has(name))).toEqual([]);
    for (const pdb of production.filter((o) => o.kind === 'PodDisruptionBudget')) {
      const selected = production.filter(
        (o) =>
          o.kind === 'Deployment' &&
          Object.entries(pdb.spec.selector.matchLabels).every(([k, v]) => o.spec.template.metadata.labels[k] === v),
      );
      expect(selected.map((d) => d.metadata.name)).toEqual([pdb.metadata.name]);
    }
  });
});
