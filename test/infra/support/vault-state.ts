/**
 * infra/monitoring/vault-state.kql, rendered in TypeScript (the KQL cannot run here): every vault × site state rebuilt
 * from the site's last snapshot plus the state records sent since, with the consecutive runs in the same alert
 * route. Kept step for step beside the function; the alert replay and the state replay feed it the lab's telemetry.
 */

/** A record as the sink received it: an availability result or a custom event, with its `time`. */
export interface SinkRecord {
  readonly name: string;
  readonly time: string;
  readonly id?: string;
  readonly runLocation?: string;
  readonly properties?: Record<string, string>;
}

export interface RebuiltState {
  readonly site: string;
  readonly vault: string;
  readonly status: string;
  readonly cause: string;
  readonly codes: string;
  readonly addrHash: string;
  readonly expectation: string;
  readonly runs: number;
  readonly recordTime: string;
}

interface Candidate extends Omit<RebuiltState, 'recordTime'> {
  readonly run: string;
  readonly change: string;
  readonly record: boolean;
}

const HEARTBEAT = 'KvProbeHeartbeat';
const SNAPSHOT = 'KvProbeSnapshot';

/** `availability` are the availability results, `events` the custom events, both within the lookback. */
export function vaultState(availability: readonly SinkRecord[], events: readonly SinkRecord[]): RebuiltState[] {
  const p = (r: SinkRecord, k: string): string => r.properties?.[k] ?? '';
  // let runs: one per heartbeat, by site and the run's short ID.
  const runs = events
    .filter((e) => e.name === HEARTBEAT)
    .map((e) => ({
      site: p(e, 'location'),
      run: p(e, 'runId').slice(0, 8),
      runTime: e.time,
      snapshot: p(e, 'snapshot') === 'true',
    }));
  // let lastSnapshot
  const lastSnapshot = new Map<string, string>();
  for (const r of runs)
    if (r.snapshot && (lastSnapshot.get(r.site) ?? '') < r.runTime) lastSnapshot.set(r.site, r.runTime);
  // let packed
  const packed: Candidate[] = events
    .filter((e) => e.name === SNAPSHOT)
    .flatMap((e) =>
      p(e, 'states')
        .split(';')
        .map((entry) => {
          const f = entry.split('|');
          return {
            site: p(e, 'location'),
            run: p(e, 'runId').slice(0, 8),
            vault: f[0] ?? '',
            status: f[1] ?? '',
            cause: f[2] ?? '',
            codes: f[3] ?? '',
            addrHash: f[4] ?? '',
            expectation: f[5] ?? '',
            runs: Number(f[6] ?? 0),
            change: 'snapshot',
            record: false,
          };
        }),
    );
  // let records
  const records: Candidate[] = availability.map((a) => ({
    site: a.runLocation ?? '',
    run: a.id ?? '',
    vault: a.name,
    status: p(a, 'status'),
    cause: p(a, 'cause'),
    codes: p(a, 'codes'),
    addrHash: p(a, 'addrHash'),
    expectation: p(a, 'expectation'),
    runs: Number(p(a, 'runs')),
    change: p(a, 'change'),
    record: true,
  }));
  // let latest: joined with the run's time, at or after the site's last snapshot, the latest per site and vault.
  const latest = new Map<string, { c: Candidate; runTime: string; order: string }>();
  for (const c of [...packed, ...records]) {
    const run = runs.find((r) => r.site === c.site && r.run === c.run);
    const snapshotTime = lastSnapshot.get(c.site);
    if (run === undefined || snapshotTime === undefined || run.runTime < snapshotTime) continue;
    const order = `${run.runTime}${c.record ? '1' : '0'}`;
    const key = `${c.site}\u0000${c.vault}`;
    const before = latest.get(key);
    if (before === undefined || before.order < order) latest.set(key, { c, runTime: run.runTime, order });
  }
  // let later, and the projection.
  return [...latest.values()].flatMap(({ c, runTime }) => {
    if (c.change === 'gone') return [];
    const laterRuns =
      c.status !== 'healthy' || c.codes !== ''
        ? runs.filter((r) => r.site === c.site && r.runTime > runTime).length
        : 0;
    return [
      {
        site: c.site,
        vault: c.vault,
        status: c.status,
        cause: c.cause,
        codes: c.codes,
        addrHash: c.addrHash,
        expectation: c.expectation,
        runs: c.runs + laterRuns,
        recordTime: runTime,
      },
    ];
  });
}
