import { CAUSE_ROUTES, causesOf, type CauseRuleKey } from '../../../src/telemetry/alert-rules';
import type { FindingCause } from '../../../src/probe/findings';
import type { RebuiltState } from './vault-state';

/** A row of the cause query's result: one per site and root cause. */
export interface CauseAlertRow {
  readonly site: string;
  readonly cause: string;
  readonly vaultCount: number;
  readonly vaults: readonly string[];
}

/**
 * infra/alerts/cause.kql, rendered in TypeScript (the KQL cannot run here): over the rebuilt state of every vault and
 * site (vault-state.ts, the mirror of infra/monitoring/vault-state.kql), the vaults whose cause is one of the rule's
 * and that have been in that alert route for at least `minRuns` consecutive runs, grouped by site and cause. Kept step
 * for step beside the query; test/infra/alert-replay.test.ts feeds it the lab's telemetry.
 */
export function evaluateCauseRule(
  states: readonly RebuiltState[],
  rule: CauseRuleKey,
  minRuns: number,
  includeNoPrivateEndpoint = false,
): CauseAlertRow[] {
  const causes = new Set<string>(causesOf(rule));
  const groups = new Map<string, { site: string; cause: string; vaults: string[] }>();
  for (const s of states) {
    const cause =
      s.cause === '' && includeNoPrivateEndpoint && s.codes.split(',').includes('NO_PRIVATE_ENDPOINT')
        ? 'endpoint'
        : s.cause;
    if (!causes.has(cause) || s.runs < minRuns) continue;
    const key = `${s.site}\u0000${cause}`;
    const g = groups.get(key) ?? { site: s.site, cause, vaults: [] };
    g.vaults.push(s.vault);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ ...g, vaultCount: g.vaults.length }));
}

/** The rule each cause reaches. */
export const ruleOfCause = (cause: FindingCause): CauseRuleKey => CAUSE_ROUTES[cause];
