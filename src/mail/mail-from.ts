import { isEmail, registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * MAIL_FROM: an address (`no-reply@acme.test`) or a display name and an address
 * (`Acme <no-reply@acme.test>`, `"Acme, Inc." <no-reply@acme.test>`, `Café Acme <no-reply@acme.test>`).
 */
export interface Sender {
  name?: string;
  address: string;
}

const WITH_NAME = /^(.*?)\s*<([^<>\s]+)>$/s;

/** The sender, or undefined when the value is neither form (or the name carries a line break or angle brackets). */
export function parseMailFrom(raw: string): Sender | undefined {
  const value = raw.trim();
  const named = WITH_NAME.exec(value);
  let name = named?.[1].trim();
  const address = named ? named[2] : value;
  // A quoted name: its quotes are syntax, not part of the name.
  if (name && /^"(?:[^"\\]|\\.)*"$/.test(name)) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  const control = (c: string) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f; // line breaks included
  if (name !== undefined && (/[<>]/.test(name) || [...name].some(control))) return undefined;
  // SES sends from 7-bit addresses only (an internationalised domain in punycode).
  if (!/^[\x21-\x7e]+$/.test(address) || !isEmail(address, { require_tld: false })) return undefined;
  return name ? { name, address } : { address };
}

/**
 * SES's `Source`: the address alone, or `name <address>` as RFC 5322 wants it: a name of atoms as is,
 * other ASCII names quoted, non-ASCII names as an RFC 2047 encoded word (SES requires that).
 */
export function sesSource(raw: string): string {
  const sender = parseMailFrom(raw);
  if (!sender) throw new Error('MAIL_FROM is not a valid sender');
  const { name, address } = sender;
  if (!name) return address;
  if (/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$/.test(name)) return `${name} <${address}>`;
  if (/^[\x20-\x7e]+$/.test(name)) return `"${name.replace(/(["\\])/g, '\\$1')}" <${address}>`;
  return `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?= <${address}>`;
}

export function IsMailFrom(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isMailFrom',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseMailFrom(value) !== undefined,
        defaultMessage: () =>
          'MAIL_FROM must be an address (no-reply@example.com) or a display name and an address (Acme <no-reply@example.com>)',
      },
    });
}
