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

/**
 * Joins the parts of several modules into one statement (`WITH <every part's CTEs> <select>`): it
 * commits as a whole, in one round trip, where a transaction of one statement per module takes one
 * round trip each plus BEGIN and COMMIT. Used where that matters (sign-up; see bench/README.md).
 */
export function composeStatement<Input>(
  name: string,
  parts: ReadonlyArray<StatementPart<Input>>,
  select: string,
  onRows?: (rows: ReadonlyArray<Record<string, unknown>>) => void,
): ComposedStatement<Input> {
  if (parameterCount(select) > 0) throw new Error(`${name}: the final select takes no parameters; a part binds them`);
  const counts: number[] = [];
  let offset = 0;
  const ctes = parts.flatMap((part) => {
    const count = parameterCount(part.ctes.map(([, sql]) => sql).join('\n'));
    const shift = offset;
    counts.push(count);
    offset += count;
    return part.ctes.map(([cte, sql]) => `${cte} AS (${sql.replace(PARAMETER, (_, n: string) => `$${Number(n) + shift}`)})`);
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
