import { describe, expect, it } from 'vitest';
import { composeStatement, relation, type StatementPart } from '../../src/database/composed-statement.js';

interface Person {
  id: string;
  adult: boolean;
}
const PEOPLE = relation<Person>('people_found');

const findPerson: StatementPart<{ name: string; age: number }> = {
  ctes: [[PEOPLE.name, `SELECT id, age >= $2 AS adult FROM people WHERE name = $1`]],
  bind: ({ name, age }) => [name, age],
};
const logVisit = (after: () => void): StatementPart<{ note: string }> => ({
  ctes: [['visits_logged', `INSERT INTO visits (person_id, note) SELECT id, $1 FROM ${PEOPLE.name} WHERE adult`]],
  bind: ({ note }) => [note],
  afterRun: after,
});
type Visit = { name: string; age: number; note: string };

describe('composeStatement (one statement from the parts of several modules)', () => {
  it('numbers each part’s parameters after the parts before it, and binds their values in that order', () => {
    const composed = composeStatement<Visit>('people.visit', [findPerson, logVisit(() => undefined)], `SELECT id FROM ${PEOPLE.name}`);

    expect(composed.statement.name).toBe('people.visit');
    expect(composed.statement.text).toBe(
      'WITH people_found AS (SELECT id, age >= $2 AS adult FROM people WHERE name = $1),\n' +
        'visits_logged AS (INSERT INTO visits (person_id, note) SELECT id, $3 FROM people_found WHERE adult)\n' +
        'SELECT id FROM people_found',
    );
    expect(composed.bind({ name: 'Ada', age: 18, note: 'came by' })).toEqual(['Ada', 18, 'came by']);
  });

  it('runs a part’s after-run work always, or, with `wrote`, only when a returned row says the part wrote', () => {
    const ran: string[] = [];
    const always: StatementPart<unknown> = { ctes: [], bind: () => [], afterRun: () => ran.push('always') };
    const visits = { ...logVisit(() => ran.push('visit logged')), wrote: 'EXISTS (SELECT 1 FROM visits_logged)' };
    const composed = composeStatement<Visit>('people.visit', [findPerson, visits, always], `SELECT id FROM ${PEOPLE.name}`);
    expect(composed.statement.text).toMatch(
      /\nSELECT s\.\*, \(EXISTS \(SELECT 1 FROM visits_logged\)\) AS "part_1_wrote" FROM \(SELECT id FROM people_found\) s$/,
    );

    composed.afterRun([{ id: 'p1', part_1_wrote: false }]);
    expect(ran).toEqual(['always']);
    composed.afterRun([{ id: 'p1', part_1_wrote: true }]);
    expect(ran).toEqual(['always', 'visit logged', 'always']);
  });

  it('hands the returned rows to its own after-run work, after the parts’', () => {
    const seen: string[] = [];
    const composed = composeStatement<Visit>(
      'people.visit',
      [findPerson, logVisit(() => seen.push('part'))],
      `SELECT id FROM ${PEOPLE.name}`,
      (rows) => seen.push(`rows ${rows.map((r) => r.id as string).join(',')}`),
    );
    composed.afterRun([{ id: 'p1' }, { id: 'p2' }]);
    expect(seen).toEqual(['part', 'rows p1,p2']);
  });

  it('gathers the parts of one key into one relation of all their rows, written once by the first one’s CTEs', () => {
    const ran: string[] = [];
    const greet = (when: string, note: string): StatementPart<Visit> => ({
      ctes: [],
      bind: ({ name }) => [note, name],
      afterRun: () => ran.push(`greeted (${note})`),
      gather: {
        key: 'greetings',
        relation: `${when}_wanted`,
        select: `SELECT id, $1::text AS note, $2::text AS name FROM ${PEOPLE.name} WHERE ${when}`,
        writes: [[`${when}_sent`, `INSERT INTO greetings (person_id, note) SELECT id, note FROM ${when}_wanted RETURNING 1`]],
        wrote: `EXISTS (SELECT 1 FROM ${when}_sent)`,
      },
    });
    const composed = composeStatement<Visit>(
      'people.greet',
      [findPerson, greet('adult', 'welcome'), logVisit(() => ran.push('visit logged')), greet('NOT adult', 'hello')],
      `SELECT id FROM ${PEOPLE.name}`,
    );

    expect(composed.statement.text).toBe(
      'WITH people_found AS (SELECT id, age >= $2 AS adult FROM people WHERE name = $1),\n' +
        'adult_wanted AS (SELECT id, $3::text AS note, $4::text AS name FROM people_found WHERE adult\n' +
        ' UNION ALL\n' +
        'SELECT id, $5::text AS note, $6::text AS name FROM people_found WHERE NOT adult),\n' +
        'adult_sent AS (INSERT INTO greetings (person_id, note) SELECT id, note FROM adult_wanted RETURNING 1),\n' +
        'visits_logged AS (INSERT INTO visits (person_id, note) SELECT id, $7 FROM people_found WHERE adult)\n' +
        'SELECT s.*, (EXISTS (SELECT 1 FROM adult_sent)) AS "part_1_wrote" FROM (SELECT id FROM people_found) s',
    );
    expect(composed.bind({ name: 'Ada', age: 18, note: 'came by' })).toEqual(['Ada', 18, 'welcome', 'Ada', 'hello', 'Ada', 'came by']);
    composed.afterRun([{ id: 'p1', part_1_wrote: true }]);
    expect(ran).toEqual(['greeted (welcome)', 'visit logged']);
    composed.afterRun([{ id: 'p1', part_1_wrote: false }]);
    expect(ran).toEqual(['greeted (welcome)', 'visit logged', 'visit logged']);
  });

  it('refuses a gathered part that brings CTEs of its own', () => {
    const both: StatementPart<unknown> = {
      ctes: [['x', 'SELECT 1']],
      bind: () => [],
      gather: { key: 'k', relation: 'r', select: 'SELECT 1', writes: [] },
    };
    expect(() => composeStatement('both', [both], 'SELECT 1')).toThrow(
      'a gathered part (k) brings its rows in `gather.select`, not in CTEs',
    );
  });

  it('refuses a part that binds a different number of values than its SQL numbers', () => {
    const sloppy: StatementPart<unknown> = { ctes: [['x', 'SELECT $1, $2']], bind: () => ['only one'] };
    const composed = composeStatement<unknown>('sloppy', [sloppy], 'SELECT 1');
    expect(() => composed.bind(undefined)).toThrow('sloppy: part 0 bound 1 values for 2 parameters');
  });

  it('refuses parameters in the final select, which no part binds', () => {
    expect(() => composeStatement('bad', [findPerson], 'SELECT $1')).toThrow('the final select takes no parameters');
  });
});
