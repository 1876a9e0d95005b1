import { Injectable } from '@nestjs/common';
import { Resolver } from 'node:dns/promises';
import { withTimeout } from '../common/with-timeout.js';
import { Environment } from '../config/environment.js';
import { FactBus } from '../database/fact-bus.js';
import { MxLookedUp, type MxResult } from './signup-guard.facts.js';

/** How long an answer is believed: a domain that receives mail rarely stops; one that did not may be fixed soon. */
const RECEIVES_TTL_MS = 60 * 60_000;
const NO_MAIL_TTL_MS = 10 * 60_000;
/** Entries kept at most (the oldest go first): a wave of made-up domains cannot grow the memory. */
const CACHE_MAX = 10_000;
/** Answers that mean "no such record" (as opposed to a resolver that did not answer). */
const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND']);

type Answer = 'receives' | 'no_mail';
const TIMED_OUT = 'DNS did not answer in time';

const records = async (lookup: Promise<unknown[]>): Promise<boolean> => {
  try {
    return (await lookup).length > 0;
  } catch (error) {
    if (NO_RECORD.has((error as NodeJS.ErrnoException).code ?? '')) return false;
    throw error;
  }
};

/**
 * Does a domain receive email? A null MX (RFC 7505: one MX of ".") says no; MX hosts say yes;
 * with no MX, an A or AAAA record is the implicit MX (RFC 5321 5.1); with none of them, no. A
 * resolver that fails or does not answer within MX_CHECK_TIMEOUT_MS means yes (fail open,
 * counted). Answers are cached, bounded, and one lookup serves every request that waits for it.
 */
@Injectable()
export class MxCheck {
  private readonly resolver: Resolver;
  private readonly cache = new Map<string, { answer: Answer; until: number }>();
  private readonly inFlight = new Map<string, Promise<Answer>>();

  constructor(
    private readonly env: Environment,
    private readonly facts: FactBus,
  ) {
    this.resolver = new Resolver({ timeout: env.MX_CHECK_TIMEOUT_MS, tries: 1 });
    if (env.DNS_SERVERS) this.resolver.setServers(env.DNS_SERVERS.split(',').map((s) => s.trim()));
  }

  /** False only when DNS says the domain cannot receive mail. */
  async receivesMail(domain: string): Promise<boolean> {
    const cached = this.cache.get(domain);
    if (cached && cached.until > Date.now()) {
      this.count('cached');
      return cached.answer === 'receives';
    }
    let lookup = this.inFlight.get(domain);
    if (!lookup) {
      lookup = this.lookUp(domain).finally(() => this.inFlight.delete(domain));
      this.inFlight.set(domain, lookup);
    }
    try {
      const answer = await withTimeout(lookup, this.env.MX_CHECK_TIMEOUT_MS, TIMED_OUT);
      this.count(answer);
      return answer === 'receives';
    } catch (error) {
      const timedOut = (error as Error).message === TIMED_OUT || (error as NodeJS.ErrnoException).code === 'ETIMEOUT';
      this.count(timedOut ? 'timeout' : 'error');
      return true;
    }
  }

  private async lookUp(domain: string): Promise<Answer> {
    const answer = await this.ask(domain);
    this.cache.delete(domain);
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(domain, { answer, until: Date.now() + (answer === 'receives' ? RECEIVES_TTL_MS : NO_MAIL_TTL_MS) });
    return answer;
  }

  private async ask(domain: string): Promise<Answer> {
    let mx: Array<{ exchange: string; priority: number }> = [];
    try {
      mx = await this.resolver.resolveMx(domain);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'ENOTFOUND') return 'no_mail'; // NXDOMAIN: the domain does not exist
      if (code !== 'ENODATA') throw error;
    }
    // Node gives the null MX's "." as an empty exchange.
    if (mx.some((r) => r.exchange !== '' && r.exchange !== '.')) return 'receives';
    if (mx.length > 0) return 'no_mail';
    const [a, aaaa] = await Promise.all([records(this.resolver.resolve4(domain)), records(this.resolver.resolve6(domain))]);
    return a || aaaa ? 'receives' : 'no_mail';
  }

  private count(result: MxResult): void {
    this.facts.observe(new MxLookedUp({ result }));
  }
}
