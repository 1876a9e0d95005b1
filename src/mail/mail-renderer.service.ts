import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Environment } from '../config/environment.js';
import { humanDuration } from './human-duration.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Template = (context: object) => string;
interface EmailTemplates {
  subject: Template;
  text: Template;
  html: Template;
}

export const MAIL_TEMPLATES_DIR = join(import.meta.dirname, 'templates');

/** Renders emails from the Handlebars files in templates/; replace those files to restyle the mail. */
@Injectable()
export class MailRenderer {
  private readonly confirmation = this.load('confirmation');
  private readonly accountExists = this.load('account-exists');

  constructor(private readonly env: Environment) {}

  confirmationEmail(token: string): RenderedEmail {
    return this.render(this.confirmation, {
      confirmUrl: `${this.baseUrl()}/confirm/${token}`,
      lifetime: humanDuration(this.env.CONFIRMATION_TTL_SECONDS),
    });
  }

  /** Sent when a confirmed address signs up again: no link, nothing to do. */
  accountExistsEmail(): RenderedEmail {
    return this.render(this.accountExists, { appUrl: this.baseUrl() });
  }

  private baseUrl(): string {
    return this.env.APP_URL.replace(/\/+$/, '');
  }

  private render(templates: EmailTemplates, values: object): RenderedEmail {
    const context = { productName: this.env.PRODUCT_NAME, supportEmail: this.env.SUPPORT_EMAIL, ...values };
    return {
      subject: templates.subject(context).trim(),
      text: templates.text(context),
      html: templates.html(context),
    };
  }

  /** `<name>.subject.hbs` and `<name>.text.hbs` are plain text; `<name>.html.hbs` is HTML-escaped. */
  private load(name: string): EmailTemplates {
    const compile = (part: string, escape: boolean): Template =>
      Handlebars.compile(readFileSync(join(MAIL_TEMPLATES_DIR, `${name}.${part}.hbs`), 'utf8'), { noEscape: !escape });
    return { subject: compile('subject', false), text: compile('text', false), html: compile('html', true) };
  }
}
