import { FINDING_CAUSES, FINDINGS, type FindingCause } from '../probe/findings';
import type { ReportedFinding } from '../probe/report';

const RANK: Readonly<Record<FindingCause, number>> = Object.fromEntries(FINDING_CAUSES.map((c, i) => [c, i])) as Record<
  FindingCause,
  number
>;

/** The routing category of a finding code. */
export function causeOf(code: ReportedFinding['code']): FindingCause {
  return FINDINGS[code].cause;
}

/**
 * The root cause of a vault's result: the most upstream cause (FINDING_CAUSES order) among its error findings, or
 * undefined when it has none. One vault-run has one root cause, so a broken zone that also makes DNS and the data
 * plane fail reaches one alert rule, not three.
 */
export function rootCause(findings: readonly Pick<ReportedFinding, 'code' | 'severity'>[]): FindingCause | undefined {
  let best: FindingCause | undefined;
  for (const f of findings) {
    if (f.severity !== 'error') continue;
    const c = causeOf(f.code);
    if (best === undefined || RANK[c] < RANK[best]) best = c;
  }
  return best;
}
