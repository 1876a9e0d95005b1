import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The part of `kustomize build` these manifests use, for an offline check without the kustomize
 * binary (neither Debian nor npm ships one that runs here): resources (files and directories),
 * namespace, images (by name, newName/newTag) and JSON 6902 patches aimed at a kind and name.
 * Anything else in a kustomization.yaml is refused, so a manifest cannot start relying on a feature
 * this check does not apply.
 */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
} & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
  patches?: Array<{ target: { kind: string; name: string }; patch: string }>;
}

export function kustomizeBuild(dir: string): K8sObject[] {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization & Record<string, unknown>;
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) throw new Error(`${dir}/kustomization.yaml: not supported by this check: ${unsupported.join(', ')}`);
  let objects = (k.resources ?? []).flatMap((resource) => {
    const path = join(dir, resource);
    if (!existsSync(path)) throw new Error(`${dir}: no resource ${resource}`);
    if (statSync(path).isDirectory()) return kustomizeBuild(path);
    return parseAllDocuments(readFileSync(path, 'utf8')).map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0].message}`);
      return doc.toJS() as K8sObject;
    });
  });
  for (const image of k.images ?? []) objects = objects.map((o) => setImage(o, image));
  if (k.namespace) for (const o of objects) o.metadata.namespace = k.namespace;
  for (const { target, patch } of k.patches ?? []) {
    const matches = objects.filter((o) => o.kind === target.kind && o.metadata.name === target.name);
    if (matches.length !== 1) throw new Error(`${dir}: patch target ${target.kind}/${target.name} matches ${matches.length} objects`);
    for (const op of parse(patch) as Array<{ op: string; path: string; value?: unknown }>) applyOperation(matches[0], op);
  }
  return objects;
}

function setImage(object: K8sObject, image: { name: string; newName?: string; newTag?: string }): K8sObject {
  const pod = object.spec?.template?.spec;
  for (const container of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])] as Array<{ image: string }>) {
    const [name, tag] = container.image.split(':');
    if (name === image.name) container.image = `${image.newName ?? name}:${image.newTag ?? tag ?? 'latest'}`;
  }
  return object;
}

function applyOperation(object: K8sObject, { op, path, value }: { op: string; path: string; value?: unknown }): void {
  const keys = path
    .split('/')
    .slice(1)
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = keys.pop()!;
  let parent: Record<string, unknown> = object;
  for (const key of keys) {
    if (typeof parent[key] !== 'object' || parent[key] === null) throw new Error(`patch ${op} ${path}: no ${key}`);
    parent = parent[key] as Record<string, unknown>;
  }
  if (op === 'add') parent[last] = value;
  else if (op === 'replace') {
    if (!(last in parent)) throw new Error(`patch replace ${path}: nothing to replace`);
    parent[last] = value;
  } else if (op === 'remove') delete parent[last];
  else throw new Error(`patch op ${op} is not supported by this check`);
}
