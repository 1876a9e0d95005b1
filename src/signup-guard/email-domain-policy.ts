import mailchecker from 'mailchecker';
import type { Environment } from '../config/environment.js';

/**
 * Forwarding services that mailchecker lists but that deliver to a permanent inbox the person
 * keeps (DuckDuckGo, Firefox Relay, SimpleLogin, addy.io, Proton Pass): refusing them turns away
 * exactly the careful people, not the bots. BLOCKED_EMAIL_DOMAINS still refuses them.
 */
const FORWARDING_SERVICES = new Set([
  'duck.com',
  'mozmail.com',
  'relay.firefox.com',
  'simplelogin.com',
  'simplelogin.co',
  'slmail.me',
  'aleeas.com',
  'addy.io',
  'anonaddy.com',
  'anonaddy.me',
  'passmail.net',
  'passmail.com',
  'passinbox.com',
  'passfwd.com',
]);

/** A comma-separated list of domains, lower-cased, without blanks. */
const domainList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter((d) => d !== '');

/** The domain and each parent: a.b.example.com, b.example.com, example.com, com. */
function* withParents(domain: string): Generator<string> {
  for (let d = domain; d !== ''; d = d.includes('.') ? d.slice(d.indexOf('.') + 1) : '') yield d;
}

const listed = (domain: string, list: ReadonlySet<string>): boolean => {
  for (const d of withParents(domain)) if (list.has(d)) return true;
  return false;
};

/**
 * Which domains are refused: the operator's lists (ALLOWED_EMAIL_DOMAINS wins over everything),
 * then the disposable-domain list of `mailchecker` (DISPOSABLE_EMAILS=refuse), subdomains included.
 * Pure and in memory: it runs before any database or network work.
 */
export class EmailDomainPolicy {
  private readonly allowed: ReadonlySet<string>;
  private readonly blocked: ReadonlySet<string>;
  private readonly disposable: ReadonlySet<string> | null;

  constructor(env: Pick<Environment, 'ALLOWED_EMAIL_DOMAINS' | 'BLOCKED_EMAIL_DOMAINS' | 'DISPOSABLE_EMAILS'>) {
    this.allowed = new Set(domainList(env.ALLOWED_EMAIL_DOMAINS));
    this.blocked = new Set(domainList(env.BLOCKED_EMAIL_DOMAINS));
    this.disposable = env.DISPOSABLE_EMAILS === 'refuse' ? mailchecker.blacklist() : null;
  }

  /** Why addresses at `domain` (lower case) are refused, or null when they are not. */
  judge(domain: string): 'blocked' | 'disposable' | null {
    if (listed(domain, this.allowed)) return null;
    if (listed(domain, this.blocked)) return 'blocked';
    if (this.disposable && !listed(domain, FORWARDING_SERVICES) && listed(domain, this.disposable)) return 'disposable';
    return null;
  }
}
