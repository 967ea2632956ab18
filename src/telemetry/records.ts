import { resolvedAddresses, type RunReport, type VaultResult } from '../probe/report';
import { AVAILABILITY_DIMENSIONS as A, EVENTS, FINDING_DIMENSIONS as F, HEARTBEAT_DIMENSIONS as H, HEARTBEAT_MEASUREMENTS as M } from './schema';

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
}

function addresses(r: VaultResult): string {
  return resolvedAddresses(r.resolved).join(',');
}

/** One availability result per vault, one event per finding, one heartbeat per run. */
export function telemetryFor(report: RunReport, meta: RunMeta): { availability: AvailabilityRecord[]; events: EventRecord[] } {
  const availability = report.results.map((r): AvailabilityRecord => {
    const errors = r.findings.filter((f) => f.severity === 'error');
    return {
      id: `${report.runId}:${r.vaultId ?? r.vault}`,
      name: r.vault,
      duration: r.timings['totalMs'] ?? 0,
      success: r.status === 'healthy',
      runLocation: report.location,
      message: errors.length > 0 ? errors.map((f) => f.message).join(' | ').slice(0, 1000) : r.status,
      properties: {
        [A.vault]: r.vault,
        [A.vaultId]: r.vaultId ?? '',
        [A.host]: r.host ?? '',
        [A.location]: report.location,
        [A.status]: r.status,
        [A.findingCodes]: r.findings.map((f) => f.code).join(','),
        [A.addresses]: addresses(r),
        [A.addressesHash]: r.addressesHash ?? '',
        [A.runId]: report.runId,
        // What this site expects of the vault: `private pe-a@10.1.2.4`, `public`, `unreachable`; `~` when assumed.
        expectation: r.expectation?.text ?? '',
      },
    };
  });
  const findings = report.results.flatMap((r) =>
    r.findings.map(
      (f): EventRecord => ({
        name: EVENTS.finding,
        properties: {
          [F.vault]: r.vault,
          [F.vaultId]: r.vaultId ?? '',
          [F.host]: r.host ?? '',
          [F.location]: report.location,
          [F.code]: f.code,
          [F.severity]: f.severity,
          [F.addresses]: addresses(r),
          [F.message]: f.message,
          [F.remediation]: f.remediation,
          [F.resourceId]: f.resourceId ?? '',
          [F.command]: f.command ?? '',
          [F.runId]: report.runId,
        },
      }),
    ),
  );
  const heartbeat: EventRecord = {
    name: EVENTS.heartbeat,
    properties: {
      [H.location]: report.location,
      [H.vnetId]: meta.vnetId ?? '',
      [H.runId]: report.runId,
      [H.isPastDue]: String(meta.isPastDue),
      [H.trigger]: meta.trigger,
      [H.version]: meta.version,
      // off, asked, or stopped: the first Azure DNS timeout of the run stopped its questions.
      azureDns: !report.azureDns ? 'off' : report.azureDns.stopped ? 'stopped' : 'asked',
    },
    measurements: {
      [M.vaults]: report.summary.vaults,
      [M.healthy]: report.summary.healthy,
      [M.unhealthy]: report.summary.unhealthy,
      [M.unknown]: report.summary.unknown,
      [M.skipped]: report.summary.skipped,
      [M.durationMs]: report.durationMs,
    },
  };
  return { availability, events: [...findings, heartbeat] };
}
