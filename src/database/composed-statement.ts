import { parameterCount, statement, type Statement } from './statement.js';

/**
 * A CTE that one part of a composed statement yields for the parts after it. `Row` is the columns
 * it has, for the compiler; the database checks the SQL against it when the statement is explained
 * at start-up.
 */
export interface Relation<Row extends object> {
  readonly name: string;
  /** Type-only: never set. */
  readonly __row?: Row;
}

export const relation = <Row extends object>(name: string): Relation<Row> => ({ name });

/** The columns of `Row` that hold a `T`. */
export type ColumnOf<Row extends object, T> = { [C in keyof Row]-?: Row[C] extends T ? C : never }[keyof Row] & string;

/**
 * What one module adds to a composed statement: CTEs over its own tables only, which may read the
 * relations of parts before it. Its SQL numbers its own parameters from `$1`; composing renumbers
 * them, so no part needs to know another's. Every part binds its values from the one input of a run.
 */
export interface StatementPart<Input> {
  readonly ctes: ReadonlyArray<readonly [name: string, sql: string]>;
  /** This part's parameter values for one run, as many as its SQL numbers. (A property, so the compiler checks `Input` strictly.) */
  readonly bind: (input: Input) => unknown[];
  /**
   * Work outside the database once the statement has run (and so committed): waking a relay. With
   * `wrote` (an SQL condition over the part's CTEs), only when it held for a row the statement returned.
   */
  readonly afterRun?: () => void;
  readonly wrote?: string;
  /**
   * Parts of one module that write the same way for different facts: rather than each bringing its
   * own writing CTEs, which PostgreSQL initialises whether or not their fact happened, every part
   * with the same `key` adds the rows of its `select` to one relation (`UNION ALL`) and the first
   * one's `writes` write them all, once. Such a part's `ctes` stay empty; `bind` binds `select`.
   */
  readonly gather?: Gather;
}

export interface Gather {
  readonly key: string;
  /** Named after the first gathered part: the relation of every part's rows. */
  readonly relation: string;
  readonly select: string;
  /** The writing CTEs over `relation`, and the condition that holds when they wrote (the part's `wrote`). */
  readonly writes: ReadonlyArray<readonly [name: string, sql: string]>;
  readonly wrote?: string;
}

export interface ComposedStatement<Input> {
  readonly statement: Statement;
  /** The values of every part, in the composed numbering. */
  bind(input: Input): unknown[];
  /** Runs the parts' after-run work that the returned rows call for, then `onRows`. */
  afterRun(rows: ReadonlyArray<Record<string, unknown>>): void;
}

const PARAMETER = /\$(\d+)/g;

const wroteColumn = (part: number) => `part_${part}_wrote`;

/** SQL whose parameters `$1`… are numbered `by` further. */
const shifted = (sql: string, by: number): string => sql.replace(PARAMETER, (_, n: string) => `$${Number(n) + by}`);

/**
 * Joins the parts of several modules into one statement (`WITH <every part's CTEs> <select>`): it
 * commits as a whole, in one round trip, where a transaction of one statement per module takes one
 * round trip each plus BEGIN and COMMIT. Used where that matters (sign-up; see bench/README.md).
 */
export function composeStatement<Input>(
  name: string,
  ungathered: ReadonlyArray<StatementPart<Input>>,
  select: string,
  onRows?: (rows: ReadonlyArray<Record<string, unknown>>) => void,
): ComposedStatement<Input> {
  if (parameterCount(select) > 0) throw new Error(`${name}: the final select takes no parameters; a part binds them`);
  const parts = gathered(ungathered);
  const counts: number[] = [];
  let offset = 0;
  const ctes = parts.flatMap((part) => {
    const count = parameterCount(part.ctes.map(([, sql]) => sql).join('\n'));
    const shift = offset;
    counts.push(count);
    offset += count;
    return part.ctes.map(([cte, sql]) => `${cte} AS (${shifted(sql, shift)})`);
  });
  const flags = parts.flatMap((part, i) => (part.wrote ? [`(${part.wrote}) AS "${wroteColumn(i)}"`] : []));
  const final = flags.length > 0 ? `SELECT s.*, ${flags.join(', ')} FROM (${select}) s` : select;
  return {
    statement: statement(name, `WITH ${ctes.join(',\n')}\n${final}`),
    bind: (input) =>
      parts.flatMap((part, i) => {
        const values = part.bind(input);
        if (values.length !== counts[i]) throw new Error(`${name}: part ${i} bound ${values.length} values for ${counts[i]} parameters`);
        return values;
      }),
    afterRun: (rows) => {
      parts.forEach((part, i) => {
        if (part.afterRun && (!part.wrote || rows.some((row) => row[wroteColumn(i)] === true))) part.afterRun();
      });
      onRows?.(rows);
    },
  };
}

type Gathering<Input> = StatementPart<Input> & { gather: Gather };

/** Each set of parts with one `gather.key` as one part, where the first of them was. */
function gathered<Input>(parts: ReadonlyArray<StatementPart<Input>>): Array<StatementPart<Input>> {
  const groups = new Map<string, Array<Gathering<Input>>>();
  for (const part of parts) {
    if (!part.gather) continue;
    if (part.ctes.length > 0) throw new Error(`a gathered part (${part.gather.key}) brings its rows in \`gather.select\`, not in CTEs`);
    groups.set(part.gather.key, [...(groups.get(part.gather.key) ?? []), part as Gathering<Input>]);
  }
  return parts.flatMap((part) => {
    if (!part.gather) return [part];
    const members = groups.get(part.gather.key)!;
    return members[0] === part ? [gatheredPart(members)] : [];
  });
}

function gatheredPart<Input>(members: ReadonlyArray<Gathering<Input>>): StatementPart<Input> {
  const [{ gather, afterRun }] = members;
  let offset = 0;
  const selects = members.map(({ gather: { select } }) => {
    const shift = offset;
    offset += parameterCount(select);
    return shifted(select, shift);
  });
  return {
    ctes: [[gather.relation, selects.join('\n UNION ALL\n')], ...gather.writes],
    bind: (input) => members.flatMap((member) => member.bind(input)),
    // The members' after-run work is the same (they are one module's): once, when the writes wrote.
    afterRun,
    wrote: gather.wrote,
  };
}
