import type { EstateReport } from '../probe/estate';
import type { EventRecord } from './records';
import { EVENTS } from './schema';

/** The properties of a `KvProbeEstateDiagnosis` event (the estate alert and the workbook's estate tab read them). */
export const ESTATE_DIAGNOSIS_DIMENSIONS = {
  location: 'location',
  /** The VNet whose pairs the diagnosis breaks. */
  vnetId: 'vnetId',
  code: 'code',
  severity: 'severity',
  /** The ARM ID of the object to fix. */
  resourceId: 'resourceId',
  /** The object to fix, in words. */
  object: 'object',
  command: 'command',
  /** Up to 20 of the vaults it breaks, comma-separated. */
  vaults: 'vaults',
} as const;

export const ESTATE_DIAGNOSIS_MEASUREMENTS = { vaults: 'vaults', pairs: 'pairs' } as const;

/** The measurements of a `KvProbeEstateHeartbeat` event: the pass's counts. */
export const ESTATE_HEARTBEAT_MEASUREMENTS = {
  vnets: 'vnets',
  vaults: 'vaults',
  pairs: 'pairs',
  healthy: 'healthy',
  unhealthy: 'unhealthy',
  unknown: 'unknown',
  unreachable: 'unreachable',
  observed: 'observed',
  queried: 'queried',
  predicted: 'predicted',
  unknownCoverage: 'unknownCoverage',
  diagnoses: 'diagnoses',
  readErrors: 'readErrors',
  droppedEvents: 'droppedEvents',
} as const;

/** At most this many estate diagnosis events per run; the heartbeat counts the ones left out. */
export const MAX_ESTATE_EVENTS = 1000;

/**
 * The estate pass's telemetry (issue 25): one `KvProbeEstateDiagnosis` per (VNet, diagnosis), ranked as the report
 * ranks them, and one `KvProbeEstateHeartbeat` with the coverage and status counts. Read by the estate alert rule and
 * the workbook's estate tab.
 */
export function estateTelemetry(
  report: EstateReport,
  meta: { vnetId: string | undefined; version: string },
): EventRecord[] {
  const events: EventRecord[] = [];
  let dropped = 0;
  for (const d of report.diagnoses) {
    for (const vnetId of d.vnets) {
      if (events.length >= MAX_ESTATE_EVENTS) {
        dropped++;
        continue;
      }
      events.push({
        name: EVENTS.estateDiagnosis,
        properties: {
          [ESTATE_DIAGNOSIS_DIMENSIONS.location]: report.location,
          [ESTATE_DIAGNOSIS_DIMENSIONS.vnetId]: vnetId,
          [ESTATE_DIAGNOSIS_DIMENSIONS.code]: d.code,
          [ESTATE_DIAGNOSIS_DIMENSIONS.severity]: d.severity,
          ...(d.resourceId ? { [ESTATE_DIAGNOSIS_DIMENSIONS.resourceId]: d.resourceId } : {}),
          [ESTATE_DIAGNOSIS_DIMENSIONS.object]: d.object,
          ...(d.command ? { [ESTATE_DIAGNOSIS_DIMENSIONS.command]: d.command } : {}),
          [ESTATE_DIAGNOSIS_DIMENSIONS.vaults]: d.sampleVaults.join(','),
        },
        measurements: {
          [ESTATE_DIAGNOSIS_MEASUREMENTS.vaults]: d.vaults,
          [ESTATE_DIAGNOSIS_MEASUREMENTS.pairs]: d.pairs,
        },
      });
    }
  }
  const s = report.summary;
  events.push({
    name: EVENTS.estateHeartbeat,
    properties: { location: report.location, version: meta.version, ...(meta.vnetId ? { vnetId: meta.vnetId } : {}) },
    measurements: {
      vnets: s.vnets,
      vaults: s.vaults,
      pairs: s.pairs,
      healthy: s.status.healthy,
      unhealthy: s.status.unhealthy,
      unknown: s.status.unknown,
      unreachable: s.status.unreachable,
      observed: s.coverage.observed,
      queried: s.coverage.queried,
      predicted: s.coverage.predicted,
      unknownCoverage: s.coverage.unknown,
      diagnoses: s.diagnoses,
      readErrors: report.errors.length,
      droppedEvents: dropped,
    },
  });
  return events;
}
