import Handlebars from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyEmailKind } from './email-kind.js';

type Template = (context: object) => string;

export interface EmailTemplates {
  subject: Template;
  text: Template;
  html: Template;
}

const PARTS = { subject: false, text: false, html: true } as const; // whether the part is HTML-escaped

const fileOf = (kind: AnyEmailKind, part: keyof typeof PARTS) => join(kind.templateDir, `${kind.name}.${part}.hbs`);

/** `<name>.subject.hbs` and `<name>.text.hbs` are plain text; `<name>.html.hbs` is HTML-escaped. */
export function loadTemplates(kind: AnyEmailKind): EmailTemplates {
  const compile = (part: keyof typeof PARTS): Template =>
    Handlebars.compile(readFileSync(fileOf(kind, part), 'utf8'), { noEscape: !PARTS[part], strict: false });
  return { subject: compile('subject'), text: compile('text'), html: compile('html') };
}

/**
 * What is wrong with the declared kinds, one line each: a duplicate or over-long name, a missing
 * or broken template. Both processes refuse to start on any (see main.ts, main.worker.ts).
 */
export function emailKindProblems(kinds: readonly AnyEmailKind[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const kind of kinds) {
    if (seen.has(kind.name)) problems.push(`email kind "${kind.name}" is declared twice`);
    seen.add(kind.name);
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(kind.name))
      problems.push(`email kind "${kind.name}" needs a name of 1-32 lower-case letters, digits and dashes`);
    for (const part of Object.keys(PARTS) as Array<keyof typeof PARTS>) {
      const file = fileOf(kind, part);
      if (!existsSync(file)) {
        problems.push(`email kind "${kind.name}" has no ${part} template (${file})`);
        continue;
      }
      try {
        Handlebars.precompile(readFileSync(file, 'utf8'));
      } catch (error) {
        problems.push(`email kind "${kind.name}": ${part} template does not compile: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  }
  return problems;
}
