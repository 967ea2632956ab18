import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kqlString, runKql, type KqlRow } from '../lab/kql-eval';
import { fillPlaceholders } from './support/kusto';
import { INFRA_DIR } from './support/paths';

/**
 * infra/alerts/cause.kql itself, evaluated (test/lab/kql-eval.ts runs the parsed query) over availability results
 * written here, with literal expectations. The second test edits the query the ways a careless change would (the
 * window, the threshold, the grouping, the sort) and requires each edit to change the answer: no TypeScript copy of
 * the logic stands between the query and the test.
 */
const QUERY = readFileSync(join(INFRA_DIR, 'alerts', 'cause.kql'), 'utf8');

const fill = (query: string, causes: readonly string[], minRuns: number, includeNoPrivateEndpoint = false): string =>
  fillPlaceholders(query, {
    CAUSES: JSON.stringify(causes),
    MIN_RUNS: String(minRuns),
    INCLUDE_NO_PRIVATE_ENDPOINT: String(includeNoPrivateEndpoint),
  });

/** One availability result: vault, site, minute of the run, root cause ('' when healthy), codes. */
function result(vault: string, site: string, minute: number, cause: string, codes = ''): KqlRow {
  return {
    name: vault,
    location: site,
    timestamp: `2026-12-07T10:${String(minute).padStart(2, '0')}:00Z`,
    customDimensions: { cause, codes, status: cause === '' ? 'healthy' : 'unhealthy' },
  };
}

// Three runs at minutes 1, 6 and 11 (the last is the latest), two sites.
const ROWS: KqlRow[] = [
  // kv-a at weu: healthy, then broken twice by the zone: counts.
  result('kv-a', 'weu', 1, ''),
  result('kv-a', 'weu', 6, 'zone'),
  result('kv-a', 'weu', 11, 'zone'),
  // kv-b at weu: broken twice, then fixed: does not count.
  result('kv-b', 'weu', 1, 'zone'),
  result('kv-b', 'weu', 6, 'zone'),
  result('kv-b', 'weu', 11, ''),
  // kv-c at weu: one result only (a new vault), broken: not yet.
  result('kv-c', 'weu', 11, 'zone'),
  // kv-d at weu: dns, then zone: not the same rule twice.
  result('kv-d', 'weu', 6, 'dns'),
  result('kv-d', 'weu', 11, 'zone'),
  // kv-e at weu: broken by the zone three times: counts.
  result('kv-e', 'weu', 1, 'zone'),
  result('kv-e', 'weu', 6, 'zone'),
  result('kv-e', 'weu', 11, 'zone'),
  // kv-a at neu: its own site, broken twice: a row of its own.
  result('kv-a', 'neu', 6, 'zone'),
  result('kv-a', 'neu', 11, 'zone'),
  // kv-f at weu: no private endpoint at all, twice (a warning, no root cause).
  result('kv-f', 'weu', 6, '', 'NO_PRIVATE_ENDPOINT'),
  result('kv-f', 'weu', 11, '', 'NO_PRIVATE_ENDPOINT,VAULT_URI_MISMATCH'),
];

const run = (query: string, rows: readonly KqlRow[] = ROWS): KqlRow[] =>
  runKql(query, { availabilityResults: rows })
    .map((r) => ({ ...r }))
    .sort((a, b) =>
      `${kqlString(a['site'])}${kqlString(a['cause'])}`.localeCompare(
        `${kqlString(b['site'])}${kqlString(b['cause'])}`,
      ),
    );

describe('infra/alerts/cause.kql, evaluated', () => {
  it('one row per site and cause for the vaults whose last 2 results both had a root cause of the rule', () => {
    expect(run(fill(QUERY, ['zone'], 2))).toEqual([
      { site: 'neu', cause: 'zone', vaultCount: 1, vaults: 'kv-a', since: '2026-12-07T10:06:00Z' },
      { site: 'weu', cause: 'zone', vaultCount: 2, vaults: 'kv-a, kv-e', since: '2026-12-07T10:06:00Z' },
    ]);
    // Three runs: only kv-e was broken in each of its last three.
    expect(run(fill(QUERY, ['zone'], 3))).toEqual([
      { site: 'weu', cause: 'zone', vaultCount: 1, vaults: 'kv-e', since: '2026-12-07T10:01:00Z' },
    ]);
    // A rule of two causes counts kv-d (dns, then zone), under its latest cause.
    expect(run(fill(QUERY, ['dns', 'zone'], 2)).map((r) => [r['site'], r['cause'], r['vaults']])).toEqual([
      ['neu', 'zone', 'kv-a'],
      ['weu', 'zone', 'kv-a, kv-d, kv-e'],
    ]);
    expect(run(fill(QUERY, ['dataplane'], 2))).toEqual([]);
  });

  it('counts vaults without a private endpoint as endpoint only when the option is on', () => {
    expect(run(fill(QUERY, ['endpoint'], 2, false))).toEqual([]);
    expect(run(fill(QUERY, ['endpoint'], 2, true))).toEqual([
      { site: 'weu', cause: 'endpoint', vaultCount: 1, vaults: 'kv-f', since: '2026-12-07T10:06:00Z' },
    ]);
  });

  it('lists at most 50 vaults while counting them all', () => {
    const many = Array.from({ length: 60 }, (_, i) => `kv-${String(i).padStart(2, '0')}`).flatMap((v) => [
      result(v, 'weu', 6, 'zone'),
      result(v, 'weu', 11, 'zone'),
    ]);
    const [row] = run(fill(QUERY, ['zone'], 2), many);
    expect(row?.['vaultCount']).toBe(60);
    expect(kqlString(row?.['vaults']).split(', ')).toHaveLength(50);
  });

  // Each edit is one a reviewer could miss; each must change what the alert returns on the rows above (or make the
  // query fail, as Kusto would fail it). Not listed: `runs == minRuns` -> `runs >= 1`, which changes nothing (the
  // window keeps at most minRuns results, and brokenRuns == minRuns already needs that many).
  it.each([
    [
      'the window: the latest minRuns + 1 results',
      (q: string) => q.replace('recent <= minRuns', 'recent <= minRuns + 1'),
    ],
    ['the threshold: any broken run', (q: string) => q.replace('brokenRuns == minRuns', 'brokenRuns >= 1')],
    ['the grouping: by vault across sites', (q: string) => q.replace('by site, vault', 'by vault')],
    [
      'the grouping: one row per cause across sites',
      (q: string) => q.replace('by site, cause = latestCause', 'by cause = latestCause'),
    ],
    ['the sort: oldest first', (q: string) => q.replace('timestamp desc', 'timestamp asc')],
    ['the latest cause: any run', (q: string) => q.replace('take_anyif(cause, recent == 1)', 'take_any(cause)')],
    ['the vault list: 1 name', (q: string) => q.replace('make_set(vault, 50)', 'make_set(vault, 1)')],
    [
      'the option: endpoint whatever the codes',
      (q: string) => q.replace("set_has_element(split(codes, ','), 'NO_PRIVATE_ENDPOINT')", 'true'),
    ],
  ])('an edit to %s changes the answer', (_what, edit) => {
    const edited = edit(QUERY);
    expect(edited).not.toBe(QUERY);
    const attempt = (f: () => unknown): unknown => {
      try {
        return f();
      } catch (error) {
        return `fails: ${String(error)}`;
      }
    };
    const kvX = [result('kv-x', 'weu', 6, ''), result('kv-x', 'weu', 11, '', 'VAULT_URI_MISMATCH')];
    const two = ['kv-1', 'kv-2'].flatMap((v) => [result(v, 'weu', 6, 'zone'), result(v, 'weu', 11, 'zone')]);
    const answers = (query: string): unknown[] => [
      attempt(() => run(fill(query, ['zone'], 2))),
      attempt(() => run(fill(query, ['zone'], 3))),
      attempt(() => run(fill(query, ['dns', 'zone'], 2))),
      attempt(() => run(fill(query, ['endpoint'], 2, true))),
      attempt(() => run(fill(query, ['endpoint'], 2, true), kvX)),
      attempt(() => run(fill(query, ['zone'], 2), two)),
    ];
    expect(answers(edited)).not.toEqual(answers(QUERY));
  });
});
