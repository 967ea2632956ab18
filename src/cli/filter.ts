import type { FindingCode } from '../probe/findings';
import type { RunReport, VaultResult } from '../probe/report';
import type { VaultStatus } from '../probe/types';

/** What the user asked to see: vaults of some statuses, diagnoses holding some codes (empty lists: everything). */
export interface ReportFilter {
  readonly statuses: readonly VaultStatus[];
  readonly codes: readonly FindingCode[];
}

/** True when the diagnosis holds one of the codes, as its root or among what it explains. */
function holds(codes: readonly FindingCode[], d: VaultResult['diagnoses'][number]): boolean {
  return codes.length === 0 || codes.includes(d.code) || d.explains.some((c) => codes.includes(c));
}

/**
 * The report as the filters show it: only the vaults of the statuses asked for, holding a finding of the codes asked
 * for, each with only the diagnoses that hold one. The summary stays the run's (the exit code counts every vault).
 */
export function filterReport(report: RunReport, filter: ReportFilter): RunReport {
  if (filter.statuses.length === 0 && filter.codes.length === 0) return report;
  const results = report.results
    .filter((r) => filter.statuses.length === 0 || filter.statuses.includes(r.status))
    .filter((r) => filter.codes.length === 0 || r.findings.some((f) => filter.codes.includes(f.code)))
    .map((r) => ({ ...r, diagnoses: r.diagnoses.filter((d) => holds(filter.codes, d)) }));
  return { ...report, results };
}
