import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import type { Locale } from '../i18n/locales.js';
import type { IssuedToken } from '../tokens/tokens.service.js';
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
import { TokenSplitRenderings } from './token-split-renderings.js';

export type { RenderedEmail };

/**
 * Renders every registered kind of email from its Handlebars files, strictly: a variable a template
 * names but the kind does not give throws. The shared layout is in templates/, its colours and fonts
 * in templates/email-theme.ts. Emails that differ only by their token are joined around it rather
 * than rendered again (TokenSplitRenderings).
 */
@Injectable()
export class MailRenderer {
  private readonly templates = new Map<string, EmailTemplates>();
  private readonly splits = new TokenSplitRenderings();

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
    const renderWith = (token?: IssuedToken) => renderTemplates(templates, templateContext(kind, { ...input, token }, this.env), locale);
    if (!input.token) return renderWith();
    const key = JSON.stringify([kind.name, locale, input.token.lifetimeSeconds, input.payload]);
    return this.splits.render(key, input.token, renderWith);
  }
}
