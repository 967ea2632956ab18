import { ownDiagnoses } from './builders';
import type { ReportedFinding, RunReport, VaultResult } from '../../src/probe/report';
import { FindingChangeTracker } from '../../src/telemetry/changes';
import { telemetryFor } from '../../src/telemetry/records';
import { StateTracker, stateHash, type VaultState } from '../../src/telemetry/state';
import { rebuildState, type RebuiltState, type SinkRecord } from '../infra/support/alert-query';

const stale: ReportedFinding = {
  code: 'DNS_PRIVATE_IP_MISMATCH',
  severity: 'error',
  title: 't',
  message: 'resolves to 10.9.0.9',
  remediation: 'r',
  resourceId: null,
  fix: [],
  confirm: [],
  explainedBy: null,
  details: { address: '10.9.0.9' },
} as unknown as ReportedFinding;

/** kv-0 and kv-5 are tagged with an owner key; the others are not. */
function vault(name: string, broken: boolean, owner = OWNERS[name]): VaultResult {
  return {
    vault: name,
    ...(owner === undefined ? {} : { owner }),
    vaultId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${name}`,
    scope: 'vault',
    host: `${name}.vault.azure.net`,
    status: broken ? 'unhealthy' : 'healthy',
    publicNetworkAccess: 'Disabled',
    expectation: { kind: 'private', assumed: false } as VaultResult['expectation'],
    expected: [
      { ip: '10.0.0.4', privateEndpointId: 'pe', connectionStatus: 'Approved', provisioningState: 'Succeeded' },
    ],
    resolved: {
      os: { addresses: [broken ? '10.9.0.9' : '10.0.0.4'], error: null },
      dns: { servers: [], cnames: [], addresses: [], ttl: 10, error: null },
    },
    dataplane: [],
    addressesHash: broken ? '9999999999999999' : '4444444444444444',
    findings: broken ? [stale] : [],
    diagnoses: ownDiagnoses(broken ? [stale] : []),
    timings: { totalMs: 5 },
  };
}

const OWNERS: Readonly<Record<string, string>> = { 'kv-0': 'payments', 'kv-5': 'orders' };

/** One step of the sequence: the vaults in the report (name -> broken) and what happens to the run's telemetry. */
interface Step {
  readonly vaults: Readonly<Record<string, boolean>>;
  readonly restart?: boolean;
  readonly lost?: boolean;
}

const healthy = (names: string[]): Record<string, boolean> => Object.fromEntries(names.map((n) => [n, false]));
const FIVE = ['kv-0', 'kv-1', 'kv-2', 'kv-3', 'kv-4'];
const SNAPSHOT_RUNS = 4;

/**
 * Breaks, fixes, restarts, lost flushes (one of them a snapshot's), a vault that leaves the inventory and one that
 * comes back, run by run.
 */
const SEQUENCE: readonly Step[] = [
  { vaults: healthy(FIVE) }, // 1: fresh process, snapshot
  { vaults: { ...healthy(FIVE), 'kv-1': true } }, // 2: kv-1 breaks
  { vaults: { ...healthy(FIVE), 'kv-1': true, 'kv-2': true } }, // 3: kv-2 breaks
  { vaults: { ...healthy(FIVE), 'kv-2': true }, lost: true }, // 4: kv-1 fixed, the run's telemetry lost
  { vaults: healthy(FIVE) }, // 5: kv-2 fixed; kv-1's fix sent again
  { vaults: { ...healthy(FIVE), 'kv-3': true }, restart: true }, // 6: a new process: snapshot; kv-3 breaks
  { vaults: { ...healthy(FIVE.slice(0, 4)), 'kv-3': true } }, // 7: kv-4 leaves the inventory
  { vaults: { ...healthy(FIVE.slice(0, 4)), 'kv-3': true } }, // 8: nothing changes
  { vaults: { ...healthy(FIVE.slice(0, 4)), 'kv-3': true, 'kv-5': false } }, // 9: kv-5 appears
  { vaults: { ...healthy([...FIVE.slice(0, 4), 'kv-5']), 'kv-0': true }, lost: true }, // 10: snapshot, lost; kv-0 breaks
  { vaults: { ...healthy([...FIVE.slice(0, 4), 'kv-5']), 'kv-0': true } }, // 11: snapshot again
  { vaults: { ...healthy([...FIVE, 'kv-5']), 'kv-0': true }, restart: true }, // 12: restart; kv-4 back, kv-3 fixed
  { vaults: healthy([...FIVE, 'kv-5']) }, // 13: all healthy
  { vaults: { ...healthy([...FIVE, 'kv-5']), 'kv-2': true } }, // 14
];

interface Played {
  readonly run: number;
  readonly lost: boolean;
  readonly snapshot: boolean;
  readonly truth: VaultState[];
  readonly records: { availability: SinkRecord[]; events: SinkRecord[] };
  readonly stateHash: string;
}

/** Plays the sequence through the trackers and the record builders, as the timer does; returns what each run sent. */
function play(sequence: readonly Step[]): Played[] {
  let states = new StateTracker(SNAPSHOT_RUNS);
  let findings = new FindingChangeTracker(SNAPSHOT_RUNS);
  return sequence.map((step, i) => {
    if (step.restart) {
      states = new StateTracker(SNAPSHOT_RUNS);
      findings = new FindingChangeTracker(SNAPSHOT_RUNS);
    }
    const run = i + 1;
    const results = Object.entries(step.vaults).map(([name, broken]) => vault(name, broken));
    const report: RunReport = {
      location: 'hub',
      runId: `run${String(run).padStart(5, '0')}-0000-4000-8000-000000000000`,
      startedAt: '',
      durationMs: 10,
      summary: { vaults: results.length, healthy: 0, unhealthy: 0, unknown: 0, skipped: 0 },
      results,
    };
    const selection = states.next(report);
    const sent = telemetryFor(
      report,
      { vnetId: undefined, isPastDue: false, trigger: 'timer', version: '0' },
      findings.next(report),
      selection,
    );
    states.confirm(!step.lost);
    if (step.lost) findings.forget();
    // Every record of a run is stamped within its run's minute, the heartbeat last (as the SDK stamps them in order).
    const time = (k: number): string => new Date(Date.UTC(2026, 11, 7, 0, run, 0, k)).toISOString();
    const availability = sent.availability.map((a, k) => ({ ...a, time: time(k) }));
    const events = sent.events.map((e, k) => ({ ...e, time: time(500 + k) }));
    const heartbeat = sent.events.find((e) => e.name === 'KvProbeHeartbeat');
    return {
      run,
      lost: step.lost === true,
      snapshot: selection.snapshot,
      truth: selection.states.map((s) => s.state),
      records: { availability, events },
      stateHash: heartbeat?.properties['stateHash'] ?? '',
    };
  });
}

const view = (
  s: Pick<RebuiltState, 'vault' | 'status' | 'cause' | 'codes' | 'addrHash' | 'expectation' | 'objects' | 'owner'>,
): string => [s.vault, s.status, s.cause, s.codes, s.addrHash, s.expectation, s.objects, s.owner].join('|');
const sorted = (xs: readonly string[]): string[] => [...xs].sort();

/**
 * The rebuilt state after each run, from what reached ingestion, by infra/monitoring/vault-state.kql itself (run by
 * test/lab/kql-eval.ts), evaluated a second after the run: `late` delivers each lost run after the next one.
 */
function rebuildAfterEachRun(played: readonly Played[], late = false): string[][] {
  return played.map((p) => {
    const delivered = played.filter((q) => q.run <= p.run && (!q.lost || (late && q.run < p.run)));
    const states = rebuildState(
      delivered.flatMap((q) => q.records.availability),
      delivered.flatMap((q) => q.records.events),
      Date.UTC(2026, 11, 7, 0, p.run, 1),
    );
    return sorted(states.map(view));
  });
}

describe('state replay: snapshot plus changes rebuild every vault × site state', () => {
  const played = play(SEQUENCE);

  test('the sequence has breaks, fixes, restarts, lost flushes (one a snapshot), a vault gone and back', () => {
    expect(played.map((p) => p.snapshot)).toEqual([
      true,
      false,
      false,
      false,
      true,
      true,
      false,
      false,
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(played.filter((p) => p.lost).map((p) => p.run)).toEqual([4, 10]);
  });

  test('the rebuilt state equals the true state after every run whose telemetry arrived', () => {
    const rebuilt = rebuildAfterEachRun(played);
    played.forEach((p, i) => {
      const truth = sorted(p.truth.map(view));
      if (!p.lost) expect({ run: p.run, state: rebuilt[i] }).toEqual({ run: p.run, state: truth });
      // A run whose telemetry never arrived leaves the rebuild where the run before left it.
      else expect({ run: p.run, state: rebuilt[i] }).toEqual({ run: p.run, state: rebuilt[i - 1] });
    });
  });

  test('and when the lost runs arrive late (the SDK retries from disk), it is still equal after every later run', () => {
    const rebuilt = rebuildAfterEachRun(played, true);
    played.forEach((p, i) => {
      if (!p.lost) expect({ run: p.run, state: rebuilt[i] }).toEqual({ run: p.run, state: sorted(p.truth.map(view)) });
    });
  });

  test("each run record's state hash is the hash of the rebuilt state", () => {
    const rebuilt = rebuildAfterEachRun(played);
    played.forEach((p, i) => {
      if (p.lost) return;
      const states = (rebuilt[i] ?? []).map((line): VaultState => {
        const [vault, status, cause, codes, addrHash, expectation, objects, owner] = line.split('|');
        return { vault, status, cause, codes, addrHash, expectation, objects, owner } as VaultState;
      });
      expect({ run: p.run, hash: stateHash(states) }).toEqual({ run: p.run, hash: p.stateHash });
    });
  });

  test('runs between snapshots send nothing for unchanged vaults; a lost run is sent again', () => {
    const records = (run: number): string[] =>
      (played[run - 1]?.records.availability ?? []).map(
        (a) => `${a.name}:${(a as { properties: Record<string, string> }).properties['change']}`,
      );
    expect(records(8)).toEqual([]);
    expect(records(2)).toEqual(['kv-1:changed']);
    // Run 4 (lost) carried kv-1's fix; run 5 sends it again, with kv-2's fix.
    expect(records(4)).toEqual(['kv-1:changed']);
    expect(sorted(records(5))).toEqual(['kv-1:resend', 'kv-2:changed']);
    expect(records(7)).toEqual(['kv-4:gone']);
    expect(records(9)).toEqual(['kv-5:new']);
  });

  test('a fresh process whose first run (its snapshot) is lost sends a snapshot in its second run', () => {
    const p = play([{ vaults: healthy(FIVE), lost: true }, { vaults: healthy(FIVE) }, { vaults: healthy(FIVE) }]);
    expect(p.map((x) => x.snapshot)).toEqual([true, true, false]);
    expect(rebuildAfterEachRun(p)[1]).toEqual(sorted(p[1]?.truth.map(view) ?? []));
  });
});

test("a change of a vault's owner tag is a state change: sent as changed, carried in the record and the hash", () => {
  const tracker = new StateTracker(SNAPSHOT_RUNS);
  const report = (owner: string | undefined): RunReport => ({
    location: 'hub',
    runId: 'run00001-0000-4000-8000-000000000000',
    startedAt: '',
    durationMs: 10,
    summary: { vaults: 1, healthy: 0, unhealthy: 1, unknown: 0, skipped: 0 },
    results: [vault('kv-9', true, owner)],
  });
  const first = tracker.next(report(undefined));
  tracker.confirm(true);
  const second = tracker.next(report('payments'));
  expect(second.send.map((x) => [x.change, x.state.owner])).toEqual([['changed', 'payments']]);
  expect(second.stateHash).not.toBe(first.stateHash);
  expect(second.changed).toBe(true);
  const sent = telemetryFor(
    report('payments'),
    { vnetId: undefined, isPastDue: false, trigger: 'timer', version: '0' },
    new FindingChangeTracker(SNAPSHOT_RUNS).next(report('payments')),
    second,
  );
  expect(sent.availability.map((a) => a.properties['owner'])).toEqual(['payments']);
});
