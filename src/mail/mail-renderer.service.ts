import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import type { Locale } from '../i18n/locales.js';
import type { AnyEmailKind } from './email-kind.js';
import { EmailKindRegistry } from './email-kinds.js';
import {
  loadTemplates,
  renderTemplates,
  templateContext,
  type EmailTemplates,
  type RenderedEmail,
  type RenderInput,
} from './email-templates.js';

export type { RenderedEmail };

/**
 * Renders every registered kind of email from its Handlebars files, strictly: a variable a template
 * names but the kind does not give throws. The shared layout is in templates/, its colours and fonts
 * in templates/email-theme.ts.
 */
@Injectable()
export class MailRenderer {
  private readonly templates = new Map<string, EmailTemplates>();

  constructor(
    private readonly env: Environment,
    registry: EmailKindRegistry,
  ) {
    for (const kind of registry.kinds) this.templates.set(kind.name, loadTemplates(kind));
  }

  /** The email in the reader's language: `locale` is the recipient's stored one (the first supported when unknown). */
  render(kind: AnyEmailKind, input: RenderInput, locale: Locale = this.env.SUPPORTED_LOCALES[0]): RenderedEmail {
    const templates = this.templates.get(kind.name);
    if (!templates) throw new Error(`email kind "${kind.name}" is not registered`);
    return renderTemplates(templates, templateContext(kind, input, this.env), locale);
  }
}
