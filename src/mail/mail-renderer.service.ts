import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import type { IssuedToken } from '../tokens/tokens.service.js';
import type { AnyEmailKind } from './email-kind.js';
import { EmailKindRegistry } from './email-kinds.js';
import { loadTemplates, type EmailTemplates } from './email-templates.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Renders every registered kind of email from its Handlebars files; replace those files to restyle the mail. */
@Injectable()
export class MailRenderer {
  private readonly templates = new Map<string, EmailTemplates>();

  constructor(
    private readonly env: Environment,
    registry: EmailKindRegistry,
  ) {
    for (const kind of registry.kinds) this.templates.set(kind.name, loadTemplates(kind));
  }

  render(kind: AnyEmailKind, input: { payload: object; token?: IssuedToken }): RenderedEmail {
    const templates = this.templates.get(kind.name);
    if (!templates) throw new Error(`email kind "${kind.name}" is not registered`);
    const appUrl = this.env.APP_URL.replace(/\/+$/, '');
    const link = input.token && kind.link ? `${appUrl}${kind.link.replace(':token', input.token.value)}` : undefined;
    const variables = kind.variables({ ...input, link, env: this.env, appUrl });
    const context = { productName: this.env.PRODUCT_NAME, supportEmail: this.env.SUPPORT_EMAIL, ...variables };
    return {
      subject: templates.subject(context).trim(),
      text: templates.text(context),
      html: templates.html(context),
    };
  }
}
