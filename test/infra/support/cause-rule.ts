import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAUSE_ROUTES, causesOf, type CauseRuleKey } from '../../../src/telemetry/alert-rules';
import type { FindingCause } from '../../../src/probe/findings';
import { kqlString, runKql, type KqlRow } from '../../lab/kql-eval';
import { fillPlaceholders } from './kusto';
import { INFRA_DIR } from './paths';

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

/** infra/alerts/cause.kql as deployed: its placeholders filled as infra/alerts/alerts.bicep fills them. */
export function causeQuery(rule: CauseRuleKey, minRuns: number, includeNoPrivateEndpoint = false): string {
  return fillPlaceholders(readFileSync(join(INFRA_DIR, 'alerts', 'cause.kql'), 'utf8'), {
    CAUSES: JSON.stringify(causesOf(rule)),
    MIN_RUNS: String(minRuns),
    INCLUDE_NO_PRIVATE_ENDPOINT: String(includeNoPrivateEndpoint),
  });
}

/** Availability results as the `availabilityResults` table holds them (the classic Application Insights columns). */
export function availabilityTable(rows: readonly AvailabilityRow[]): KqlRow[] {
  return rows.map((r) => ({
    name: r.name,
    location: r.runLocation,
    timestamp: r.time,
    customDimensions: { ...(r.properties ?? {}) },
  }));
}

/**
 * Runs infra/alerts/cause.kql itself (test/lab/kql-eval.ts evaluates the parsed query) over the lab's availability
 * results: no TypeScript copy of its logic, so an edit to its window, thresholds or grouping changes what this returns.
 */
export function evaluateCauseRule(
  rows: readonly AvailabilityRow[],
  rule: CauseRuleKey,
  minRuns: number,
  includeNoPrivateEndpoint = false,
): CauseAlertRow[] {
  return runKql(causeQuery(rule, minRuns, includeNoPrivateEndpoint), {
    availabilityResults: availabilityTable(rows),
  }).map((r) => ({
    site: kqlString(r['site']),
    cause: kqlString(r['cause']),
    vaultCount: Number(r['vaultCount']),
    vaults: kqlString(r['vaults'])
      .split(', ')
      .filter((v) => v !== ''),
  }));
}

/** The rule each cause reaches. */
export const ruleOfCause = (cause: FindingCause): CauseRuleKey => CAUSE_ROUTES[cause];
