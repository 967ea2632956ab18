import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CAUSE_RULES, type CauseRuleKey } from '../../src/telemetry/alert-rules';
import { EVENTS } from '../../src/telemetry/schema';
import type { ReplayRun } from '../lab/telemetry-replay';
import { evaluateCauseRule, type AvailabilityRow } from './support/cause-rule';

/**
 * The alerts' logic against the lab's telemetry: a broken-then-fixed sequence of timer runs (real handler, real SDK,
 * the lab's ingestion sink, loopback mode) fed through every cause rule after each run, as Azure Monitor would
 * evaluate it once per run. The rule is infra/alerts/cause.kql itself, evaluated by test/lab/kql-eval.ts
 * (support/cause-rule.ts fills its placeholders as alerts.bicep does).
 */

const RUNNER = join(resolve(__dirname, '..', '..'), 'dist', 'test', 'lab', 'telemetry-replay.js');
const VAULTS = 12;
const BROKEN = 8;
const FROM = 3;
const TO = 6;
const RUNS = 9;
const MIN_RUNS = 2;

let runs: ReplayRun[] = [];
let endpointRuns: ReplayRun[] = [];
let zoneRuns: ReplayRun[] = [];

function replay(args: string[]): ReplayRun[] {
  if (!existsSync(RUNNER))
    throw new Error(`${RUNNER} is missing: npm test builds it (npm run build) before jest runs.`);
  const r = spawnSync(process.execPath, [RUNNER, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, APPLICATION_INSIGHTS_NO_STATSBEAT: 'true' },
  });
  if (r.status !== 0) throw new Error(`telemetry-replay exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '[]') as ReplayRun[];
}

beforeAll(() => {
  runs = replay([
    '--vaults',
    String(VAULTS),
    '--broken',
    String(BROKEN),
    '--runs',
    String(RUNS),
    '--from',
    String(FROM),
    '--to',
    String(TO),
    '--refresh',
    '3',
  ]);
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
}, 250_000);

/** What each rule returns when evaluated right after run `n` (the window holds the last minRuns + 1 runs). */
function evaluateAfter(
  n: number,
  sequence: readonly ReplayRun[] = runs,
): Record<CauseRuleKey, ReturnType<typeof evaluateCauseRule>> {
  const rows = sequence
    .slice(Math.max(0, n - (MIN_RUNS + 1)), n)
    .flatMap((r) => r.availability) as unknown as AvailabilityRow[];
  return Object.fromEntries(
    (Object.keys(CAUSE_RULES) as CauseRuleKey[]).map((k) => [
      k,
      evaluateCauseRule(rows, k, k === 'vault-unknown' ? 3 : MIN_RUNS),
    ]),
  ) as Record<CauseRuleKey, ReturnType<typeof evaluateCauseRule>>;
}

test('the sequence ran: one availability result per vault per run, broken vaults with root cause dns', () => {
  expect(runs).toHaveLength(RUNS);
  for (const r of runs) {
    expect(r.availability).toHaveLength(VAULTS);
    const causes = r.availability.map((a) => (a['properties'] as Record<string, string>)['cause'] ?? '');
    expect(causes.filter((c) => c === 'dns')).toHaveLength(r.broken ? BROKEN : 0);
    expect(causes.filter((c) => c !== '' && c !== 'dns')).toEqual([]);
  }
});

test('the DNS rule fires on the second broken run as ONE alert for the site listing the 8 vaults, and resolves on the first fixed run', () => {
  const fired: number[] = [];
  for (let n = 1; n <= RUNS; n++) {
    const result = evaluateAfter(n);
    const dns = result['dns-resolution'];
    if (dns.length > 0) {
      fired.push(n);
      expect(dns).toEqual([
        {
          site: 'lab',
          cause: 'dns',
          vaultCount: BROKEN,
          vaults: expect.arrayContaining([expect.stringMatching(/^kv-tel-00[0-7]$/)]),
        },
      ]);
    }
    for (const other of ['private-endpoint', 'dns-zone', 'data-plane', 'vault-unknown'] as const) {
      expect({ n, other, rows: result[other] }).toEqual({ n, other, rows: [] });
    }
  }
  // Broken in runs 3-6: fires after run 4 (2 runs), resolves after run 7 (the first fixed run).
  expect(fired).toEqual([FROM + 1, FROM + 2, TO]);
});

test('finding events are sent on change: new in the first broken run, refreshed every 3 runs, resolved once fixed', () => {
  const findingEvents = runs.map((r) => r.events.filter((e) => e['name'] === EVENTS.finding));
  const resolvedEvents = runs.map((r) => r.events.filter((e) => e['name'] === EVENTS.resolved));
  const changeOf = (e: Record<string, unknown>): string => (e['properties'] as Record<string, string>)['change'] ?? '';
  expect(findingEvents.map((list) => list.length > 0)).toEqual([
    false,
    false,
    true,
    false,
    false,
    true,
    false,
    false,
    false,
  ]);
  expect(new Set(findingEvents[FROM - 1]?.map(changeOf))).toEqual(new Set(['new']));
  expect(new Set(findingEvents[FROM + 2]?.map(changeOf))).toEqual(new Set(['refresh']));
  expect(resolvedEvents.map((list) => list.length)).toEqual([
    0,
    0,
    0,
    0,
    0,
    0,
    findingEvents[FROM - 1]?.length ?? -1,
    0,
    0,
  ]);
  for (const r of runs) expect(r.events.filter((e) => e['name'] === EVENTS.heartbeat)).toHaveLength(1);
  // No static remediation text in any event.
  for (const e of runs.flatMap((r) => r.events))
    expect(Object.keys((e['properties'] as Record<string, string>) ?? {})).not.toContain('remediation');
});

test('an unapproved endpoint also breaks DNS, yet only the private endpoint rule fires: one alert for the root cause', () => {
  const broken = endpointRuns.filter((r) => r.broken);
  expect(broken.map((r) => r.run)).toEqual([2, 3, 4]);
  // The broken vaults carry DNS errors too; their root cause is the endpoint.
  const codes = (broken[0]?.availability ?? []).map((a) => (a['properties'] as Record<string, string>)['codes'] ?? '');
  expect(codes.filter((c) => c.includes('PE_CONNECTION_NOT_APPROVED') && c.includes('DNS_'))).toHaveLength(4);
  const fired: number[] = [];
  for (let n = 1; n <= endpointRuns.length; n++) {
    const result = evaluateAfter(n, endpointRuns);
    if (result['private-endpoint'].length > 0) {
      fired.push(n);
      expect(result['private-endpoint']).toEqual([
        { site: 'lab', cause: 'endpoint', vaultCount: 4, vaults: expect.any(Array) },
      ]);
    }
    for (const other of ['dns-zone', 'dns-resolution', 'data-plane', 'vault-unknown'] as const) {
      expect({ n, other, rows: result[other] }).toEqual({ n, other, rows: [] });
    }
  }
  expect(fired).toEqual([3, 4]);
});

test('a broken zone behind 10 vaults is one zone alert listing them, not 10 vaults x codes, and no DNS or data-plane alert', () => {
  const codes = (zoneRuns[1]?.availability ?? [])
    .map((a) => (a['properties'] as Record<string, string>)['codes'] ?? '')
    .filter(Boolean);
  expect(codes).toHaveLength(10);
  expect(codes.every((c) => c.includes('ZONE_RECORD_STALE') && c.includes('DNS_PRIVATE_IP_MISMATCH'))).toBe(true);
  const fired: number[] = [];
  for (let n = 1; n <= zoneRuns.length; n++) {
    const result = evaluateAfter(n, zoneRuns);
    if (result['dns-zone'].length > 0) {
      fired.push(n);
      expect(result['dns-zone']).toEqual([{ site: 'lab', cause: 'zone', vaultCount: 10, vaults: expect.any(Array) }]);
    }
    for (const other of ['private-endpoint', 'dns-resolution', 'data-plane', 'vault-unknown'] as const) {
      expect({ n, other, rows: result[other] }).toEqual({ n, other, rows: [] });
    }
  }
  // Broken in runs 2-3: fires after run 3, resolved after run 4.
  expect(fired).toEqual([3]);
});
