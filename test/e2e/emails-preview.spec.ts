import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EMAIL_KINDS } from '../../src/app.registry.js';

describe('npm run emails:preview', () => {
  it('writes every kind of email to a folder on a fresh checkout (no NODE_ENV, no .env) and prints the render time', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'email-preview-'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !['NODE_ENV', 'APP_SECRET'].includes(name)));
    const { stdout } = await promisify(execFile)('node', ['scripts/emails-preview.mjs', folder], { env });

    const files = readdirSync(folder);
    for (const kind of EMAIL_KINDS) expect(files).toEqual(expect.arrayContaining([`${kind.name}.html`, `${kind.name}.txt`]));
    expect(readFileSync(join(folder, 'confirmation.html'), 'utf8')).toContain('Confirm my email address');
    expect(stdout).toMatch(/all kinds\s+\d+\.\d{3} ms/);
  });
});
