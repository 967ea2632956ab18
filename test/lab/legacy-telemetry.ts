import { commandText, resolvedAddresses, type RunReport, type VaultResult } from '../../src/probe/report';
import type { AvailabilityRecord, EventRecord, RunMeta } from '../../src/telemetry/records';

/**
 * The telemetry of the version before issue 12, kept only so that `npm run bench` can measure before and after in one
 * run: every finding as an event in every run, with its static remediation, and long availability properties.
 * Never used by the app.
 */
const A = {
  vault: 'vault',
  vaultId: 'vaultId',
  host: 'host',
  location: 'location',
  status: 'status',
  findingCodes: 'findingCodes',
  addresses: 'addresses',
  addressesHash: 'addressesHash',
  runId: 'runId',
} as const;
const F = {
  vault: 'vault',
  vaultId: 'vaultId',
  host: 'host',
  location: 'location',
  code: 'code',
  severity: 'severity',
  addresses: 'addresses',
  message: 'message',
  remediation: 'remediation',
  resourceId: 'resourceId',
  command: 'command',
  runId: 'runId',
} as const;
const H = {
  location: 'location',
  vnetId: 'vnetId',
  runId: 'runId',
  isPastDue: 'isPastDue',
  trigger: 'trigger',
  version: 'version',
} as const;
const M = {
  vaults: 'vaults',
  healthy: 'healthy',
  unhealthy: 'unhealthy',
  unknown: 'unknown',
  skipped: 'skipped',
  durationMs: 'durationMs',
} as const;
const EVENTS = { finding: 'KvProbeFinding', heartbeat: 'KvProbeHeartbeat' } as const;

function addresses(r: VaultResult): string {
  return resolvedAddresses(r.resolved).join(',');
}

/** One availability result per vault, one event per finding, one heartbeat per run. */
export function legacyTelemetryFor(
  report: RunReport,
  meta: RunMeta,
): { availability: AvailabilityRecord[]; events: EventRecord[] } {
  const availability = report.results.map((r): AvailabilityRecord => {
    const errors = r.findings.filter((f) => f.severity === 'error');
    return {
      id: `${report.runId}:${r.vaultId ?? r.vault}`,
      name: r.vault,
      duration: r.timings['totalMs'] ?? 0,
      success: r.status === 'healthy',
      runLocation: report.location,
      message:
        errors.length > 0
          ? errors
              .map((f) => f.message)
              .join(' | ')
              .slice(0, 1000)
          : r.status,
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
      },
    };
  });
  const findings = report.results.flatMap((r) =>
    r.findings.map((f): EventRecord => ({
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
        [F.command]: commandText(f) ?? '',
        [F.runId]: report.runId,
      },
    })),
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
