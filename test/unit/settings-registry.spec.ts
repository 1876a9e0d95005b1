import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/app.registry.js';

const settingsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? settingsFiles(join(dir, entry.name)) : entry.name.endsWith('.settings.ts') ? [join(dir, entry.name)] : [],
  );

describe('the settings registry', () => {
  it('lists every module settings class, so that none goes unvalidated at start-up', async () => {
    const files = settingsFiles('src');
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const classes = Object.values(await import(`../../${file.replace(/\.ts$/, '.js')}`)).filter((value) => typeof value === 'function');
      expect(classes, relative('.', file)).not.toEqual([]);
      for (const settings of classes) expect(SETTINGS, `${file}: ${(settings as { name: string }).name}`).toContain(settings);
    }
  });
});
