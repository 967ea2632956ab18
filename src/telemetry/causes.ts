import { FINDING_CAUSES, FINDINGS, type FindingCause } from '../probe/findings';
import type { ReportedFinding } from '../probe/report';

/** The routing category of a finding code. */
export function causeOf(code: ReportedFinding['code']): FindingCause {
  return FINDINGS[code].cause;
}

/**
 * The most upstream cause (FINDING_CAUSES order) among the codes of some diagnoses, undefined when there is none: the
 * alert route of a vault, read from the diagnoses computed once on its result (never from its findings again).
 */
export function upstreamCause(codes: readonly ReportedFinding['code'][]): FindingCause | undefined {
  let best: FindingCause | undefined;
  for (const code of codes) {
    const c = causeOf(code);
    if (best === undefined || FINDING_CAUSES.indexOf(c) < FINDING_CAUSES.indexOf(best)) best = c;
  }
  return best;
}
