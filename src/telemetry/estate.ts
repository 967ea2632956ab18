import type { EstateReport } from '../probe/estate';
import type { EventRecord } from './records';
import { EVENTS } from './schema';

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
          location: report.location,
          vnetId,
          code: d.code,
          severity: d.severity,
          ...(d.resourceId ? { resourceId: d.resourceId } : {}),
          ...(d.command ? { command: d.command } : {}),
          vaults: d.sampleVaults.join(','),
        },
        measurements: { vaults: d.vaults, pairs: d.pairs },
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
