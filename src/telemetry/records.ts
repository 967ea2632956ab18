import { resolvedAddresses, type RunReport } from '../probe/report';
import { sortAddresses } from '../probe/ip';
import { allFindings, type FindingSelection } from './changes';
import { causeOf } from './causes';
import { allStates, type StateSelection, type StateToSend, type VaultState } from './state';
import {
  AVAILABILITY_DIMENSIONS as A,
  SNAPSHOT_DIMENSIONS as S,
  STAGE_MEASUREMENTS,
  EVENTS,
  FINDING_DIMENSIONS as F,
  HEARTBEAT_CONFIG_ERROR,
  HEARTBEAT_DIMENSIONS as H,
  HEARTBEAT_MEASUREMENTS as M,
  RESOLVED_DIMENSIONS as R,
} from './schema';

/** An availability result, in the SDK's terms. */
export interface AvailabilityRecord {
  readonly id: string;
  readonly name: string;
  readonly duration: number;
  readonly success: boolean;
  readonly runLocation: string;
  readonly message: string;
  readonly properties: Record<string, string>;
}

export interface EventRecord {
  readonly name: string;
  readonly properties: Record<string, string>;
  readonly measurements?: Record<string, number>;
}

export interface RunMeta {
  readonly vnetId: string | undefined;
  readonly isPastDue: boolean;
  readonly trigger: 'timer' | 'http' | 'cli';
  readonly version: string;
  /** Timer runs refused since the last heartbeat because the previous run was still going (timer only). */
  readonly overlappingRunsSkipped?: number;
}

/** The run's stage timings (discover, probe, report) as heartbeat measurements, whole milliseconds. */
function stageTimings(report: RunReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, name] of Object.entries(STAGE_MEASUREMENTS)) {
    const ms = report.timings?.[key];
    if (ms !== undefined) out[name] = Math.round(ms);
  }
  return out;
}

const joinSorted = (addresses: Iterable<string>): string => sortAddresses(addresses).join(',');

/**
 * The availability result that carries one vault's state at one site: sent when the state appears, changes, is sent
 * again after a lost run, and in each snapshot while the vault is not healthy. What the alerts and the workbook read.
 */
export function availabilityFor(report: Pick<RunReport, 'runId' | 'location'>, x: StateToSend): AvailabilityRecord {
  const { result: r, state } = x;
  const addresses = r ? joinSorted(resolvedAddresses(r.resolved)) : '';
  const expected = r ? joinSorted(r.expected.flatMap((e) => (e.ip ? [e.ip] : []))) : '';
  const properties: Record<string, string> = {
    [A.status]: state.status,
    [A.change]: x.change,
    [A.runs]: String(x.runs),
  };
  if (state.cause) properties[A.cause] = state.cause;
  if (state.codes) properties[A.codes] = state.codes;
  if (state.objects) properties[A.objects] = state.objects;
  if (addresses) properties[A.addresses] = addresses;
  if (state.addrHash) properties[A.addrHash] = state.addrHash;
  if (expected && expected !== addresses) properties[A.expected] = expected;
  if (state.expectation) properties[A.expectation] = state.expectation;
  if (state.owner) properties[A.owner] = state.owner;
  return {
    // The run's short ID (the first 8 characters of the heartbeat's runId): the records of one run share it, `name`
    // tells them apart.
    id: report.runId.slice(0, 8),
    name: state.vault,
    duration: Math.round(r?.timings['totalMs'] ?? 0),
    // A gone vault is not a failure of the vault: it left the probe's scope.
    success: x.change === 'gone' || state.status === 'healthy',
    runLocation: report.location,
    // The status, or the root cause: the codes are in `codes`, the findings' own messages go out with their events.
    message: x.change === 'gone' ? 'gone' : state.cause || state.status,
    properties,
  };
}

/** Longest `states` value of one snapshot event: below Application Insights' 8,192-character property limit. */
export const SNAPSHOT_PART_CHARS = 8000;

/**
 * One vault's entry in a snapshot: vault|status|cause|codes|addrHash|expectation|runs|objects, then |owner when the
 * vault has an owner key (see SNAPSHOT_DIMENSIONS): an untagged vault's entry is one character shorter.
 */
export const packState = ({ state: s, runs }: { state: VaultState; runs: number }): string =>
  [s.vault, s.status, s.cause, s.codes, s.addrHash, s.expectation, runs, s.objects, ...(s.owner ? [s.owner] : [])].join(
    '|',
  );

/** The snapshot events of a run: every vault's state at the site, packed, in as few events as the limit allows. */
export function snapshotEvents(
  report: Pick<RunReport, 'runId' | 'location'>,
  states: StateSelection['states'],
): EventRecord[] {
  const parts: string[][] = [[]];
  let length = 0;
  for (const entry of states.map(packState)) {
    const current = parts[parts.length - 1] as string[];
    if (current.length > 0 && length + 1 + entry.length > SNAPSHOT_PART_CHARS) {
      parts.push([entry]);
      length = entry.length;
    } else {
      current.push(entry);
      length += (current.length > 1 ? 1 : 0) + entry.length;
    }
  }
  return parts.map((entries, i) => ({
    name: EVENTS.snapshot,
    properties: {
      [S.location]: report.location,
      [S.runId]: report.runId,
      [S.part]: `${i + 1}/${parts.length}`,
      [S.states]: entries.join(';'),
    },
  }));
}

/**
 * The records of one run: the state records and snapshot the state selection holds, the finding and resolved events
 * the finding selection holds (by default everything, as for a process with no earlier state), and the run record
 * (the heartbeat).
 */
export function telemetryFor(
  report: RunReport,
  meta: RunMeta,
  selection: FindingSelection = allFindings(report),
  states: StateSelection = allStates(report),
): { availability: AvailabilityRecord[]; events: EventRecord[] } {
  const availability = states.send.map((x) => availabilityFor(report, x));
  const snapshot = states.snapshot ? snapshotEvents(report, states.states) : [];
  // One finding event per diagnosis: its root finding, the object to change, its fix, and the codes it explains.
  const findings = selection.send.map(({ result: r, diagnosis: d, change, detailHash }): EventRecord => {
    const properties: Record<string, string> = {
      [F.vault]: r.vault,
      [F.vaultId]: r.vaultId ?? '',
      [F.location]: report.location,
      [F.code]: d.code,
      [F.cause]: causeOf(d.code),
      [F.severity]: d.severity,
      [F.change]: change,
      [F.detailHash]: detailHash,
      [F.message]: d.message,
      [F.runId]: report.runId,
    };
    // Most diagnoses point at the vault itself: the resource ID is sent only when it names something else.
    if (d.resourceId && d.resourceId !== r.vaultId) properties[F.resourceId] = d.resourceId;
    const command = d.fix.length > 0 ? d.fix.join('\n') : d.confirm[0];
    if (command) properties[F.command] = command;
    if (d.explains.length > 0) properties[F.explains] = d.explains.join(',');
    return { name: EVENTS.finding, properties };
  });
  const resolved = selection.resolved.map((x): EventRecord => ({
    name: EVENTS.resolved,
    properties: {
      [R.vault]: x.vault,
      [R.vaultId]: x.vaultId ?? '',
      [R.location]: report.location,
      [R.code]: x.code,
      [R.cause]: x.cause,
      [R.severity]: x.severity,
      [R.detailHash]: x.detailHash,
      [R.runId]: report.runId,
    },
  }));
  const heartbeat: EventRecord = {
    name: EVENTS.heartbeat,
    properties: {
      [H.location]: report.location,
      [H.vnetId]: meta.vnetId ?? '',
      [H.runId]: report.runId,
      [H.isPastDue]: String(meta.isPastDue),
      [H.trigger]: meta.trigger,
      [H.version]: meta.version,
      [H.azureDns]: !report.azureDns ? 'off' : report.azureDns.stopped ? 'stopped' : 'asked',
      [H.stateHash]: states.stateHash,
      [H.changed]: String(states.changed),
      [H.snapshot]: String(states.snapshot),
      [H.siteScope]: report.siteScope?.mode ?? 'asked',
    },
    measurements: {
      [M.vaults]: report.summary.vaults,
      [M.healthy]: report.summary.healthy,
      [M.unhealthy]: report.summary.unhealthy,
      [M.unknown]: report.summary.unknown,
      [M.skipped]: report.summary.skipped,
      [M.inventory]: report.siteScope?.inventory ?? report.summary.vaults,
      [M.outOfScope]: report.siteScope?.leftOut ?? 0,
      [M.durationMs]: Math.round(report.durationMs),
      [M.findingEvents]: findings.length,
      [M.resolvedEvents]: resolved.length,
      [M.overlappingRunsSkipped]: meta.overlappingRunsSkipped ?? 0,
      [M.stateRecords]: availability.length,
      ...stageTimings(report),
    },
  };
  return { availability, events: [...snapshot, ...findings, ...resolved, heartbeat] };
}

/**
 * The heartbeat of a timer run that was not made because the settings were refused: which settings and why (never a
 * value), and no measurements of vaults. The heartbeat-missing alert does not count it, so the site alerts as silent.
 */
export function configErrorHeartbeat(
  location: string,
  runId: string,
  problems: readonly string[],
  meta: Pick<RunMeta, 'isPastDue' | 'version'>,
): EventRecord {
  return {
    name: EVENTS.heartbeat,
    properties: {
      [H.location]: location,
      [H.runId]: runId,
      [H.isPastDue]: String(meta.isPastDue),
      // Not 'timer': heartbeat-missing.kql counts no heartbeat of a refused run.
      [H.trigger]: 'refused',
      [H.version]: meta.version,
      [HEARTBEAT_CONFIG_ERROR]: problems.join(' '),
    },
  };
}
