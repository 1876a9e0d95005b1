import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

interface NodeVersionModule {
  NODE_ENGINES: string;
  nodeSupported(version: string): boolean;
  nodeTooOld(version: string): string;
}
// A plain .mjs script (the dev runner and CI use it before anything is installed or built).
const script = (await import(pathToFileURL(join(ROOT, 'scripts', 'node-version.mjs')).href)) as NodeVersionModule;

describe('the Node.js version check of npm run dev and CI', () => {
  it('is the range package.json declares in engines', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(script.NODE_ENGINES);
  });

  it.each([
    ['v20.20.2', false],
    ['22.12.0', false],
    ['22.22.2', false],
    ['22.22.3', true],
    ['22.23.0', true],
    ['23.11.0', false],
    ['24.14.1', false],
    ['24.15.0', true],
    ['v24.22.3', true],
    ['26.1.0', true],
  ])('Node %s supported: %s', (version, supported) => {
    expect(script.nodeSupported(version)).toBe(supported);
  });

  it('tells in one line which version to install', () => {
    const line = script.nodeTooOld('v20.20.2');
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^Node\.js 20\.20\.2 is too old .*install Node\.js 24/);
  });
});
