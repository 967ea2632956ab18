import { CAUSE_ROUTES, causesOf, type CauseRuleKey } from '../../../src/telemetry/alert-rules';
import type { FindingCause } from '../../../src/probe/findings';

/** An availability result as the sink received it (the fields the cause query reads). */
export interface AvailabilityRow {
  readonly name: string;
  readonly runLocation: string;
  readonly time: string;
  readonly properties?: Record<string, string>;
}

/** A row of the cause query's result: one per site and root cause. */
export interface CauseAlertRow {
  readonly site: string;
  readonly cause: string;
  readonly vaultCount: number;
  readonly vaults: readonly string[];
}

/**
 * infra/alerts/cause.kql, rendered in TypeScript (the KQL cannot run here): for each vault and site, its latest
 * `minRuns` results must all have a root cause of the rule; the vaults that pass are grouped by site and their latest
 * cause. Kept step for step beside the query; test/infra/alert-replay.test.ts feeds it the lab's telemetry.
 */
export function evaluateCauseRule(
  rows: readonly AvailabilityRow[],
  rule: CauseRuleKey,
  minRuns: number,
  includeNoPrivateEndpoint = false,
): CauseAlertRow[] {
  const causes = new Set<string>(causesOf(rule));
  const byVault = new Map<string, { site: string; vault: string; causes: string[] }>();
  const sorted = [...rows].sort((a, b) => b.time.localeCompare(a.time));
  for (const r of sorted) {
    const key = `${r.runLocation}\u0000${r.name}`;
    let cause = r.properties?.['cause'] ?? '';
    const codes = (r.properties?.['codes'] ?? '').split(',');
    if (cause === '' && includeNoPrivateEndpoint && codes.includes('NO_PRIVATE_ENDPOINT')) cause = 'endpoint';
    const entry = byVault.get(key) ?? { site: r.runLocation, vault: r.name, causes: [] };
    if (entry.causes.length < minRuns) entry.causes.push(cause);
    byVault.set(key, entry);
  }
  const groups = new Map<string, { site: string; cause: string; vaults: string[] }>();
  for (const e of byVault.values()) {
    if (e.causes.length !== minRuns || !e.causes.every((c) => causes.has(c))) continue;
    const latest = e.causes[0] ?? '';
    const key = `${e.site}\u0000${latest}`;
    const g = groups.get(key) ?? { site: e.site, cause: latest, vaults: [] };
    g.vaults.push(e.vault);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ ...g, vaultCount: g.vaults.length }));
}

/** The rule each cause reaches. */
export const ruleOfCause = (cause: FindingCause): CauseRuleKey => CAUSE_ROUTES[cause];
