import { Inject, Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import type { FactClass } from '../database/fact.js';
import { protectLinkSecrets } from '../logging/redaction.js';
import { factsOf, type AnyEmailKind } from './email-kind.js';
import { emailKindProblems } from './email-templates.js';

/** Every kind of email the process knows, as the entry point lists them (one `<module>.emails.ts` list per module). */
export const EMAIL_KINDS = Symbol('email-kinds');

/**
 * The registered kinds of email. Built once per process; a kind with a missing or broken template,
 * a name taken twice or a `follows` of an unknown kind stops the process at start-up, and the
 * token part of every kind's link is redacted from log lines from then on.
 */
@Injectable()
export class EmailKindRegistry {
  private readonly byName: ReadonlyMap<string, AnyEmailKind>;

  constructor(
    @Inject(EMAIL_KINDS) readonly kinds: readonly AnyEmailKind[],
    env: Environment,
  ) {
    const problems = emailKindRegistryProblems(kinds, env);
    if (problems.length > 0) throw new Error(`Invalid email kinds: ${problems.join('; ')}`);
    this.byName = new Map(kinds.map((kind) => [kind.name, kind]));
    protectLinkSecrets(kinds.flatMap((kind) => (kind.link ? [kind.link] : [])));
  }

  named(name: string): AnyEmailKind | undefined {
    return this.byName.get(name);
  }

  /** The kinds that answer each fact, in the order they are listed. */
  byFact(): Map<FactClass, AnyEmailKind[]> {
    const answers = new Map<FactClass, AnyEmailKind[]>();
    for (const kind of this.kinds) for (const fact of factsOf(kind)) answers.set(fact, [...(answers.get(fact) ?? []), kind]);
    return answers;
  }
}

/** What would stop the registry: a kind's templates or sample (see emailKindProblems), its `follows`, its link. */
export const emailKindRegistryProblems = (kinds: readonly AnyEmailKind[], env: Environment): string[] => [
  ...emailKindProblems(kinds, env),
  ...declarationProblems(kinds),
];

/** A `follows` must name a kind listed before it that answers the same facts; a link must carry the token; a kind that outlives its user hangs nothing off it. */
function declarationProblems(kinds: readonly AnyEmailKind[]): string[] {
  return kinds.flatMap((kind, i) => {
    const problems: string[] = [];
    const followed = kind.follows && kinds.slice(0, i).find((k) => k.name === kind.follows!.name);
    if (kind.follows && (!followed || factsOf(kind).some((fact) => !factsOf(followed).includes(fact))))
      problems.push(`email kind "${kind.name}" follows "${kind.follows.name}", which must be listed before it and answer the same facts`);
    if (kind.token && !String(kind.link ?? '').includes(':token')) problems.push(`email kind "${kind.name}" needs a link with :token`);
    if (kind.outlivesUser && (kind.token || kind.cooldown))
      problems.push(`email kind "${kind.name}" outlives its user, so it can have no token and no cooldown`);
    return problems;
  });
}
