import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

type Operation = {
  security?: Array<Record<string, string[]>>;
  responses: Record<string, unknown>;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
};
type Document = {
  openapi: string;
  servers: Array<{ url: string }>;
  info: { license?: { name: string } };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, { example?: unknown }> }>; securitySchemes: Record<string, object> };
  webhooks: Record<string, unknown>;
};

const PROBES = ['/health', '/health/sending', '/health/live'];
const operations = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));

describe('the OpenAPI document (/api/docs-json)', () => {
  let stack: Stack;
  let doc: Document;

  beforeAll(async () => {
    stack = await startStack({ APP_URL: 'https://accounts.acme.test' }, { worker: false });
    doc = (await request(stack.url).get('/api/docs-json').expect(200)).body;
  });
  afterAll(async () => stack?.close());

  it('passes `redocly lint` (recommended rules, redocly.yaml) with no problem at all', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openapi-'));
    try {
      await writeFile(join(dir, 'openapi.json'), JSON.stringify(doc));
      const { stdout } = await promisify(execFile)('node_modules/.bin/redocly', ['lint', join(dir, 'openapi.json'), '--format=json'], {
        cwd: process.cwd(),
      }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
        totals: object;
        problems: Array<{ ruleId: string; message: string }>;
      };
      expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is OpenAPI 3.1 with APP_URL as its server, a licence, and two opaque bearer schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers.map((s) => s.url)).toEqual(['https://accounts.acme.test']);
    expect(doc.info.license?.name).toBe('MIT');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['adminToken', 'sessionToken']);
    expect(JSON.stringify(doc.components.securitySchemes)).not.toContain('JWT');
  });

  it('says who may call each operation: the admin token under /api/admin, a session under /api/me, `security: []` elsewhere', () => {
    for (const { path, method, op } of operations(doc)) {
      const schemes = (op.security ?? [undefined]).map((s) => (s ? Object.keys(s).join() : 'none'));
      const expected = path.startsWith('/api/admin')
        ? ['adminToken']
        : path.startsWith('/api/me') || path === '/api/sessions/current'
          ? ['sessionToken']
          : [];
      expect(op.security ? schemes.filter((s) => s !== 'none') : 'unsaid', `${method} ${path}`).toEqual(expected);
    }
  });

  it('lists a 4xx with an error body for every operation but the health probes, and an example for every request field', () => {
    for (const { path, method, op } of operations(doc)) {
      if (!PROBES.includes(path))
        expect(
          Object.keys(op.responses).some((s) => s.startsWith('4')),
          `${method} ${path}`,
        ).toBe(true);
      for (const media of Object.values(op.requestBody?.content ?? {})) {
        const name = media.schema.$ref?.split('/').pop();
        if (!name) continue;
        for (const [field, schema] of Object.entries(doc.components.schemas[name].properties ?? {}))
          expect(schema.example, `${method} ${path}: ${name}.${field}`).toBeDefined();
      }
    }
  });

  it('publishes every webhook event type with its payload schema', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([
      'email.failed',
      'email.suppressed',
      'user.confirmed',
      'user.deleted',
      'user.email_changed',
      'user.password_changed',
      'user.registered',
    ]);
  });
});
