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

export const MAIL_TEMPLATES_DIR = join(import.meta.dirname, 'templates');

/** Renders emails from the Handlebars files in templates/; replace those files to restyle the mail. */
@Injectable()
export class MailRenderer {
  private readonly confirmation: { subject: Template; text: Template; html: Template };

  constructor(private readonly env: Environment) {
    this.confirmation = {
      subject: this.compile('confirmation.subject.hbs', true),
      text: this.compile('confirmation.text.hbs', true),
      html: this.compile('confirmation.html.hbs', false),
    };
  }

  confirmationEmail(token: string): RenderedEmail {
    const context = {
      productName: this.env.PRODUCT_NAME,
      supportEmail: this.env.SUPPORT_EMAIL,
      confirmUrl: `${this.env.APP_URL.replace(/\/+$/, '')}/confirm/${token}`,
      lifetime: humanDuration(this.env.CONFIRMATION_TTL_SECONDS),
    };
    return {
      subject: this.confirmation.subject(context).trim(),
      text: this.confirmation.text(context),
      html: this.confirmation.html(context),
    };
  }

  private compile(file: string, plainText: boolean): Template {
    const source = readFileSync(join(MAIL_TEMPLATES_DIR, file), 'utf8');
    return Handlebars.compile(source, { noEscape: plainText, strict: false });
  }
}
