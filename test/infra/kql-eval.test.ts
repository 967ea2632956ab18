import { runKql, type KqlRow } from '../lab/kql-eval';

/**
 * The KQL evaluator's own semantics, on small tables, for the operators the state rebuild and the cause query use
 * (learn.microsoft.com/kusto/query: join, mv-expand, summarize arg_max, let functions, ago). The replay tests rely on
 * them; a construct it does not know must throw, naming it.
 */

const T: KqlRow[] = [
  { site: 'hub', vault: 'a', n: 1, t: 1000 },
  { site: 'hub', vault: 'a', n: 3, t: 3000 },
  { site: 'spoke', vault: 'b', n: 2, t: 2000 },
];
const S: KqlRow[] = [{ site: 'hub', label: 'H' }];

test('join kind=inner names a clashing right column name1; leftouter keeps unmatched left rows with nulls', () => {
  expect(runKql('T | where vault == "b" | join kind=inner (S) on site', { T, S })).toEqual([]);
  expect(runKql('T | where n == 1 | join kind=inner (S) on site', { T, S })).toEqual([
    { site: 'hub', vault: 'a', n: 1, t: 1000, site1: 'hub', label: 'H' },
  ]);
  expect(runKql('T | where vault == "b" | join kind=leftouter (S) on site | project site, label', { T, S })).toEqual([
    { site: 'spoke', label: null },
  ]);
  // A leftouter join on an empty right side still has the right side's columns.
  expect(
    runKql('T | where vault == "b" | join kind=leftouter (S | where site == "x") on site | project label', { T, S }),
  ).toEqual([{ label: null }]);
});

test('summarize arg_max returns the row where the first argument is largest; count() and make_set by key', () => {
  expect(runKql('T | summarize arg_max(t, n) by vault | order by vault asc', { T })).toEqual([
    { vault: 'a', t: 3000, n: 3 },
    { vault: 'b', t: 2000, n: 2 },
  ]);
  expect(runKql('T | summarize c = count(), s = make_set(vault) by site | order by site asc', { T })).toEqual([
    { site: 'hub', c: 2, s: ['a'] },
    { site: 'spoke', c: 1, s: ['b'] },
  ]);
});

test('mv-expand to typeof(string) makes one row per element; split, substring, coalesce', () => {
  const rows = runKql(
    "S | extend s = 'p=1,q=' | mv-expand e = split(s, ',') to typeof(string) | project e, k = substring(e, 0, 1), v = coalesce(tostring(split(e, '=')[1]), 'none')",
    { S },
  );
  expect(rows).toEqual([
    { e: 'p=1', k: 'p', v: '1' },
    { e: 'q=', k: 'q', v: 'none' },
  ]);
});

test('let functions, tabular lets, union and ago (milliseconds before now)', () => {
  const q = `let f = (lookback: timespan) {
    let recent = T | where t > ago(lookback);
    union recent, (S | project site)
  };
  f(2s) | project site, vault`;
  // now 4000, lookback 2 s: only t > 2000.
  expect(runKql(q, { T, S }, { now: 4000 })).toEqual([
    { site: 'hub', vault: 'a' },
    { site: 'hub', vault: null },
  ]);
});

test('an operator it does not know throws, naming it', () => {
  expect(() => runKql('T | top 1 by n', { T })).toThrow(/kql-eval does not evaluate TopOperator/);
});
