import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EVENTS } from '../../src/telemetry/schema';
import type { ReplayRun } from '../lab/telemetry-replay';
import {
  evaluateCauseQuery,
  rebuildState,
  type CauseAlertRow,
  type CauseQueryInputs,
  type RebuiltState,
  type SinkRecord,
} from './support/alert-query';
import { INFRA_DIR } from './support/paths';

/**
 * The alerts against the lab's telemetry: sequences of timer runs (real handler, real SDK, the lab's ingestion sink,
 * loopback mode; several sites = several timer processes with their own PROBE_SITE over one lab) fed, after each run,
 * through infra/alerts/cause.kql itself with the state rebuild infra/monitoring/vault-state.kql in front, as
 * alerts.bicep deploys them, run by the project's KQL evaluator (test/lab/kql-eval.ts) as Azure Monitor would
 * evaluate each rule once per run. No copy of the query's logic: editing a threshold or the grouping in the .kql
 * fails here.
 */

const RUNNER = join(resolve(__dirname, '..', '..'), 'dist', 'test', 'lab', 'telemetry-replay.js');
const VAULTS = 12;
const BROKEN = 8;
const FROM = 3;
const TO = 6;
const RUNS = 9;
/** The deployment defaults: findingAlertMinRuns, unknownAlertMinRuns; the lookback at 12 snapshot runs × 5 min. */
const MIN_RUNS = { findingAlertMinRuns: 2, unknownAlertMinRuns: 3 } as const;
const LOOKBACK_MINUTES = (2 * 12 + 1) * 5;

const RULES = (
  JSON.parse(fs.readFileSync(join(INFRA_DIR, 'alerts', 'cause-rules.json'), 'utf8')) as {
    rules: { key: string; causes: string[]; minRuns: keyof typeof MIN_RUNS }[];
  }
).rules;
type RuleKey = 'private-endpoint' | 'dns-zone' | 'dns-resolution' | 'data-plane' | 'vault-unknown';

let runs: ReplayRun[] = [];
let endpointRuns: ReplayRun[] = [];
let zoneRuns: ReplayRun[] = [];
let unlinkedRuns: ReplayRun[] = [];
let threeSiteRuns: ReplayRun[] = [];
let taggedRuns: ReplayRun[] = [];

function replay(args: string[]): ReplayRun[] {
  if (!existsSync(RUNNER))
    throw new Error(`${RUNNER} is missing: npm test builds it (npm run build) before jest runs.`);
  const r = spawnSync(process.execPath, [RUNNER, ...args], {
    encoding: 'utf8',
    timeout: 150_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, APPLICATION_INSIGHTS_NO_STATSBEAT: 'true' },
  });
  if (r.status !== 0) throw new Error(`telemetry-replay exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '[]') as ReplayRun[];
}

beforeAll(() => {
  runs = replay(
    ['--vaults', String(VAULTS), '--broken', String(BROKEN), '--runs', String(RUNS)].concat([
      '--from',
      String(FROM),
      '--to',
      String(TO),
      '--refresh',
      '3',
    ]),
  );
  endpointRuns = replay([
    '--vaults',
    '6',
    '--broken',
    '4',
    '--runs',
    '6',
    '--from',
    '2',
    '--to',
    '4',
    '--kind',
    'endpoint',
  ]);
  zoneRuns = replay(['--vaults', '12', '--broken', '10', '--runs', '5', '--from', '2', '--to', '3', '--kind', 'zone']);
  // One object, the zone (its link to the VNet deleted), breaks two vaults at one site.
  unlinkedRuns = replay([
    '--vaults',
    '2',
    '--broken',
    '2',
    '--runs',
    '4',
    '--from',
    '2',
    '--to',
    '3',
    '--kind',
    'unlinked',
  ]);
  // One record set breaks one vault, seen from three sites.
  threeSiteRuns = replay(
    ['--vaults', '1', '--broken', '1', '--runs', '4', '--from', '2', '--to', '3', '--kind', 'zone'].concat([
      '--sites',
      'hub,spoke-1,spoke-2',
    ]),
  );
  // Two vaults tagged with owner keys (kv-tel-000 `KvProbe-Owner: Payments`, kv-tel-001 `orders`); kv-tel-000's
  // record set breaks.
  taggedRuns = replay(
    ['--vaults', '2', '--broken', '1', '--runs', '4', '--from', '2', '--to', '3', '--kind', 'zone'].concat([
      '--owners',
      'Payments,orders',
    ]),
  );
}, 450_000);

const sink = (upTo: readonly ReplayRun[]): { availability: SinkRecord[]; events: SinkRecord[] } => ({
  availability: upTo.flatMap((r) => r.availability) as unknown as SinkRecord[],
  events: upTo.flatMap((r) => r.events) as unknown as SinkRecord[],
});

/** A second after run `n`'s last record: when Azure Monitor evaluates the rules after that run. */
function evaluationTime(n: number, sequence: readonly ReplayRun[]): number {
  const { availability, events } = sink(sequence.slice(0, n));
  return Math.max(...[...availability, ...events].map((r) => Date.parse(r.time))) + 1000;
}

/** Every vault × site state rebuilt right after run `n` (the lookback holds every run here). */
function stateAfter(n: number, sequence: readonly ReplayRun[] = runs): RebuiltState[] {
  const { availability, events } = sink(sequence.slice(0, n));
  return rebuildState(availability, events, evaluationTime(n, sequence), LOOKBACK_MINUTES);
}

/** What each rule's query returns when evaluated right after run `n`. */
function evaluateAfter(
  n: number,
  sequence: readonly ReplayRun[] = runs,
  owner?: CauseQueryInputs['owner'],
): Record<RuleKey, CauseAlertRow[]> {
  const { availability, events } = sink(sequence.slice(0, n));
  const now = evaluationTime(n, sequence);
  return Object.fromEntries(
    RULES.map((rule) => [
      rule.key,
      evaluateCauseQuery(availability, events, now, {
        causes: rule.causes,
        minRuns: MIN_RUNS[rule.minRuns],
        includeNoPrivateEndpoint: false,
        lookbackMinutes: LOOKBACK_MINUTES,
        ...(owner ? { owner } : {}),
      }),
    ]),
  ) as Record<RuleKey, CauseAlertRow[]>;
}

/** The runs after which `rule` returns rows, and each evaluation's rows checked by `check`. */
function firing(
  sequence: readonly ReplayRun[],
  rule: RuleKey,
  check: (rows: CauseAlertRow[], n: number) => void,
  owner?: CauseQueryInputs['owner'],
): number[] {
  const fired: number[] = [];
  for (let n = 1; n <= sequence.length; n++) {
    const result = evaluateAfter(n, sequence, owner);
    if (result[rule].length > 0) {
      fired.push(n);
      check(result[rule], n);
    }
    for (const other of RULES.map((r) => r.key as RuleKey).filter((k) => k !== rule))
      expect({ n, other, rows: result[other] }).toEqual({ n, other, rows: [] });
  }
  return fired;
}

const rowsByObject = (rows: readonly CauseAlertRow[]): string[] => rows.map((r) => r.object).sort();

test('the sequence ran: one rebuilt state per vault after every run, broken vaults with cause dns', () => {
  expect(runs).toHaveLength(RUNS);
  for (const r of runs) {
    const states = stateAfter(r.run);
    expect(states).toHaveLength(VAULTS);
    const causes = states.map((a) => a.cause);
    expect(causes.filter((c) => c === 'dns')).toHaveLength(r.broken ? BROKEN : 0);
    expect(causes.filter((c) => c !== '' && c !== 'dns')).toEqual([]);
  }
});

test('the DNS rule fires on the second broken run, one row per broken object (here each vault itself), and resolves on the first fixed run', () => {
  const fired = firing(runs, 'dns-resolution', (rows) => {
    expect(rows).toHaveLength(BROKEN);
    for (const row of rows)
      expect(row).toEqual({
        object: row.vaults,
        codes: 'DNS_PRIVATE_IP_MISMATCH',
        fix: `nslookup '${row.vaults}.vault.azure.net'`,
        vaultCount: 1,
        vaults: expect.stringMatching(/^kv-tel-00[0-7]$/),
        siteCount: 1,
        sites: 'lab',
        since: expect.any(Number),
      });
  });
  // Broken in runs 3-6: fires after run 4 (2 runs), resolves after run 7 (the first fixed run).
  expect(fired).toEqual([FROM + 1, FROM + 2, TO]);
});

test('finding events: one per diagnosis, new in the first broken run, refreshed every 3 runs, resolved once fixed', () => {
  const findingEvents = runs.map((r) => r.events.filter((e) => e['name'] === EVENTS.finding));
  const resolvedEvents = runs.map((r) => r.events.filter((e) => e['name'] === EVENTS.resolved));
  const changeOf = (e: Record<string, unknown>): string => (e['properties'] as Record<string, string>)['change'] ?? '';
  expect(findingEvents.map((list) => list.length)).toEqual([0, 0, BROKEN, 0, 0, BROKEN, 0, 0, 0]);
  // Each broken vault has two findings (the mismatch and the unreachable address), one diagnosis explaining both.
  expect(new Set(findingEvents[FROM - 1]?.map((e) => (e['properties'] as Record<string, string>)['explains']))).toEqual(
    new Set(['DATAPLANE_UNREACHABLE']),
  );
  expect(new Set(findingEvents[FROM - 1]?.map(changeOf))).toEqual(new Set(['new']));
  expect(new Set(findingEvents[FROM + 2]?.map(changeOf))).toEqual(new Set(['refresh']));
  expect(resolvedEvents.map((list) => list.length)).toEqual([0, 0, 0, 0, 0, 0, BROKEN, 0, 0]);
  for (const r of runs) expect(r.events.filter((e) => e['name'] === EVENTS.heartbeat)).toHaveLength(1);
  // No static remediation text in any event.
  for (const e of runs.flatMap((r) => r.events))
    expect(Object.keys((e['properties'] as Record<string, string>) ?? {})).not.toContain('remediation');
});

test('an unapproved endpoint also breaks DNS, yet only the private endpoint rule fires: one row per connection, with the approve command', () => {
  const broken = endpointRuns.filter((r) => r.broken);
  expect(broken.map((r) => r.run)).toEqual([2, 3, 4]);
  const fired = firing(endpointRuns, 'private-endpoint', (rows) => {
    expect(rowsByObject(rows)).toEqual(
      [0, 1, 2, 3].map(
        (i) =>
          expect.stringMatching(
            new RegExp(`/vaults/kv-tel-00${i}/privateEndpointConnections/pe-tel-${i}\\.`),
          ) as unknown,
      ),
    );
    for (const row of rows) {
      expect(row).toMatchObject({ codes: 'PE_CONNECTION_NOT_APPROVED', vaultCount: 1, siteCount: 1, sites: 'lab' });
      expect(row.fix).toMatch(/^az keyvault private-endpoint-connection approve --vault-name 'kv-tel-00\d'/);
    }
  });
  expect(fired).toEqual([3, 4]);
});

test('ten broken record sets in one site are ten alert rows, one per record set, each with its fix; no DNS or data-plane alert', () => {
  const fired = firing(zoneRuns, 'dns-zone', (rows) => {
    expect(rowsByObject(rows)).toEqual(
      Array.from(
        { length: 10 },
        (_, i) =>
          expect.stringMatching(
            new RegExp(`/privateDnsZones/privatelink\\.vaultcore\\.azure\\.net/A/kv-tel-00${i}$`),
          ) as unknown,
      ),
    );
    for (const row of rows) {
      expect(row).toMatchObject({ codes: 'ZONE_RECORD_STALE', vaultCount: 1, siteCount: 1 });
      expect(row.fix.split('\n')).toEqual([
        expect.stringMatching(
          /^az network private-dns record-set a add-record .* -n 'kv-tel-0\d\d' -a '10\.60\.0\.\d+'$/,
        ),
        expect.stringMatching(
          /^az network private-dns record-set a remove-record .* -n 'kv-tel-0\d\d' -a '10\.61\.0\.\d+'$/,
        ),
      ]);
    }
  });
  // Broken in runs 2-3: fires after run 3, resolved after run 4.
  expect(fired).toEqual([3]);
});

test('one broken object that breaks two vaults in one site is ONE alert row listing both vaults', () => {
  const fired = firing(unlinkedRuns, 'dns-resolution', (rows) => {
    expect(rows).toEqual([
      {
        object: expect.stringMatching(
          /\/providers\/Microsoft\.Network\/privateDnsZones\/privatelink\.vaultcore\.azure\.net$/,
        ),
        codes: 'DNS_PUBLIC_IP',
        fix: expect.stringMatching(/^az network private-dns link vnet create /),
        vaultCount: 2,
        vaults: 'kv-tel-000, kv-tel-001',
        siteCount: 1,
        sites: 'lab',
        since: expect.any(Number),
      },
    ]);
  });
  expect(fired).toEqual([3]);
});

test('one broken record set that breaks one vault seen from three sites is ONE alert row listing the three sites', () => {
  expect(threeSiteRuns.map((r) => r.events.filter((e) => e['name'] === EVENTS.heartbeat).length)).toEqual([3, 3, 3, 3]);
  const fired = firing(threeSiteRuns, 'dns-zone', (rows) => {
    expect(rows).toEqual([
      {
        object: expect.stringMatching(/\/privateDnsZones\/privatelink\.vaultcore\.azure\.net\/A\/kv-tel-000$/),
        codes: 'ZONE_RECORD_STALE',
        fix: expect.stringMatching(/^az network private-dns record-set a add-record /),
        vaultCount: 1,
        vaults: 'kv-tel-000',
        siteCount: 3,
        sites: 'hub, spoke-1, spoke-2',
        since: expect.any(Number),
      },
    ]);
  });
  expect(fired).toEqual([3]);
});

test("a vault owner's rule keeps the objects that break one of the owner's vaults, and only those", () => {
  const owned = firing(unlinkedRuns, 'dns-resolution', (rows) => expect(rows).toHaveLength(1), {
    vaults: ['kv-tel-001'],
  });
  expect(owned).toEqual([3]);
  expect(firing(unlinkedRuns, 'dns-resolution', () => undefined, { vaults: ['kv-someone-else'] })).toEqual([]);
  // An owner rule that selects nothing keeps nothing (it is not the platform team's rule).
  expect(firing(unlinkedRuns, 'dns-resolution', () => undefined, {})).toEqual([]);
});

test("a vault tagged kvprobe-owner: the owner's rule (by tag) returns its broken object, another owner's none, the platform rule keeps it", () => {
  // The tag (its name in mixed case, its value `Payments`) reaches the rebuilt state as the owner key, lower case.
  expect(
    stateAfter(3, taggedRuns)
      .map((s) => [s.vault, s.status, s.owner])
      .sort(),
  ).toEqual([
    ['kv-tel-000', 'unhealthy', 'payments'],
    ['kv-tel-001', 'healthy', 'orders'],
  ]);
  const row = {
    object: expect.stringMatching(/\/privateDnsZones\/privatelink\.vaultcore\.azure\.net\/A\/kv-tel-000$/),
    codes: 'ZONE_RECORD_STALE',
    fix: expect.stringMatching(/^az network private-dns record-set a add-record /),
    vaultCount: 1,
    vaults: 'kv-tel-000',
    siteCount: 1,
    sites: expect.any(String),
    since: expect.any(Number),
  };
  const platform = firing(taggedRuns, 'dns-zone', (rows) => expect(rows).toEqual([row]));
  const payments = firing(taggedRuns, 'dns-zone', (rows) => expect(rows).toEqual([row]), { tags: ['payments'] });
  const orders = firing(taggedRuns, 'dns-zone', () => undefined, { tags: ['orders'] });
  // A tag and a vault list together: either selects.
  const both = firing(taggedRuns, 'dns-zone', (rows) => expect(rows).toEqual([row]), {
    vaults: ['kv-someone-else'],
    tags: ['payments'],
  });
  expect({ platform, payments, orders, both }).toEqual({ platform: [3], payments: [3], orders: [], both: [3] });
});
