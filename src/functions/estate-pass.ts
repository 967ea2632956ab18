import type { InvocationContext } from '@azure/functions';
import { probeRequestFor, type AppSettings } from '../config';
import { runMap, type EstateReport, type NetworkReads } from '../probe/estate';
import type { ProbeDeps } from '../probe/pipeline';
import { estateTelemetry } from '../telemetry/estate';
import type { EventRecord } from '../telemetry/records';

/** Diagnoses written to the function log per estate pass; the rest are in the telemetry. */
const LOGGED_DIAGNOSES = 20;

/**
 * The timer's estate pass (PROBE_ESTATE=on, issue 25): after the site's own run, every VNet in scope predicted and
 * judged from ARM alone (src/probe/estate), its VNet observed. Logged, and sent as one event per (VNet, diagnosis)
 * and an estate heartbeat. Off by default, so that sites do not repeat each other's work.
 */
export async function estatePass(
  settings: AppSettings,
  deps: ProbeDeps & { readonly network?: NetworkReads },
  context: InvocationContext,
  publish: ((events: readonly EventRecord[]) => void) | undefined,
  version: string,
): Promise<EstateReport | undefined> {
  const network = deps.network;
  if (!network) {
    context.warn('kvprobe: PROBE_ESTATE=on but this runtime has no bulk network reads; no estate pass.');
    return undefined;
  }
  const report = await runMap(
    probeRequestFor(settings, { dataplane: false }),
    { ...deps, network },
    {
      ...(settings.vnetId ? { observedVnets: [settings.vnetId] } : {}),
      queryDns: settings.estateQueryDns,
    },
  );
  const s = report.summary;
  context.log(
    `kvprobe: estate at ${report.location}: ${s.vnets} VNets x ${s.vaults} vaults: ${s.status.healthy} healthy, ${s.status.unhealthy} unhealthy, ${s.status.unknown} unknown, ${s.status.unreachable} unreachable by design pairs; coverage ${s.coverage.observed} observed, ${s.coverage.queried} queried, ${s.coverage.predicted} predicted, ${s.coverage.unknown} unknown; ${s.diagnoses} diagnoses`,
  );
  for (const d of report.diagnoses.slice(0, LOGGED_DIAGNOSES))
    context.warn(
      `kvprobe: estate ${d.code} ${d.resourceId ?? ''} breaks ${d.pairs} pairs (${d.vnets.length} VNets): fix: ${d.command ?? '-'}`,
    );
  for (const e of report.errors)
    context.warn(
      `kvprobe: estate could not ${e.operation} ${e.resourceId ?? ''}: ${e.statusCode ?? ''} ${e.code ?? e.message}`,
    );
  publish?.(estateTelemetry(report, { vnetId: settings.vnetId, version }));
  return report;
}
