import { resolvedAddresses, type RunReport, type VaultResult } from '../probe/report';
import { sortAddresses } from '../probe/ip';
import { allFindings, type FindingSelection } from './changes';
import { causeOf, rootCause } from './causes';
import {
  AVAILABILITY_DIMENSIONS as A,
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

const joinSorted = (addresses: Iterable<string>): string => sortAddresses(addresses).join(',');

/** The compact availability result of one vault in one run: what the alerts and the workbook read, nothing more. */
export function availabilityFor(report: Pick<RunReport, 'runId' | 'location'>, r: VaultResult): AvailabilityRecord {
  const errorsFirst = [...r.findings].sort((a, b) => Number(b.severity === 'error') - Number(a.severity === 'error'));
  const codes = [...new Set(errorsFirst.map((f) => f.code))].join(',');
  // An unknown vault without an error finding (an endpoint that could not be read, say) still has a cause, so the
  // vault-unknown rule sees it: the most upstream cause of any of its findings, else inventory.
  const cause =
    rootCause(r.findings) ??
    (r.status === 'unknown'
      ? (rootCause(r.findings.map((f) => ({ code: f.code, severity: 'error' as const }))) ?? 'inventory')
      : undefined);
  const addresses = joinSorted(resolvedAddresses(r.resolved));
  const expected = joinSorted(r.expected.flatMap((e) => (e.ip ? [e.ip] : [])));
  const properties: Record<string, string> = { [A.status]: r.status };
  if (cause) properties[A.cause] = cause;
  if (codes) properties[A.codes] = codes;
  if (addresses) properties[A.addresses] = addresses;
  if (expected && expected !== addresses) properties[A.expected] = expected;
  // The kind only (the endpoints are in `expected`): a few bytes per vault-run.
  if (r.expectation) properties[A.expectation] = `${r.expectation.assumed ? '~' : ''}${r.expectation.kind}`;
  return {
    // The run's short ID (the first 8 characters of the heartbeat's runId): the results of one run share it, `name`
    // tells them apart, and 28 bytes fewer per vault-run matter at 1.4 M results a day.
    id: report.runId.slice(0, 8),
    name: r.vault,
    duration: Math.round(r.timings['totalMs'] ?? 0),
    success: r.status === 'healthy',
    runLocation: report.location,
    // The status, or the root cause: the codes are in `codes`, the findings' own messages go out with their events.
    message: cause ?? r.status,
    properties,
  };
}

/**
 * One availability result per vault, the finding and resolved events the selection holds (by default every finding,
 * as for a process with no earlier state), and one heartbeat.
 */
export function telemetryFor(
  report: RunReport,
  meta: RunMeta,
  selection: FindingSelection = allFindings(report),
): { availability: AvailabilityRecord[]; events: EventRecord[] } {
  const availability = report.results.map((r) => availabilityFor(report, r));
  const findings = selection.send.map(({ result: r, finding: f, change, detailHash }): EventRecord => {
    const properties: Record<string, string> = {
      [F.vault]: r.vault,
      [F.vaultId]: r.vaultId ?? '',
      [F.location]: report.location,
      [F.code]: f.code,
      [F.cause]: causeOf(f.code),
      [F.severity]: f.severity,
      [F.change]: change,
      [F.detailHash]: detailHash,
      [F.message]: f.message,
      [F.runId]: report.runId,
    };
    // Most findings point at the vault itself: the resource ID is sent only when it names something else.
    if (f.resourceId && f.resourceId !== r.vaultId) properties[F.resourceId] = f.resourceId;
    if (f.command) properties[F.command] = f.command;
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
    },
    measurements: {
      [M.vaults]: report.summary.vaults,
      [M.healthy]: report.summary.healthy,
      [M.unhealthy]: report.summary.unhealthy,
      [M.unknown]: report.summary.unknown,
      [M.skipped]: report.summary.skipped,
      [M.durationMs]: Math.round(report.durationMs),
      [M.findingEvents]: findings.length,
      [M.resolvedEvents]: resolved.length,
      [M.overlappingRunsSkipped]: meta.overlappingRunsSkipped ?? 0,
    },
  };
  return { availability, events: [...findings, ...resolved, heartbeat] };
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
