import * as fs from 'node:fs';
import * as path from 'node:path';

import { kqlString, runKql, type KqlRow, type KqlValue } from '../../lab/kql-eval';
import { INFRA_DIR } from './paths';

/**
 * The state rebuild (infra/monitoring/vault-state.kql) and the cause alert query (infra/alerts/cause.kql) as text,
 * run by the project's KQL evaluator over what the lab's ingestion sink received: no copy of their logic. The
 * placeholders are filled as alerts.bicep fills them; test/infra/bicep.test.ts holds the deployed query equal to
 * `causeQuery` for the same inputs.
 */

/** A record as the sink received it: an availability result or a custom event, with its `time`. */
export interface SinkRecord {
  readonly name: string;
  readonly time: string;
  readonly id?: string;
  readonly runLocation?: string;
  readonly success?: boolean;
  readonly message?: string;
  readonly properties?: Record<string, string>;
  readonly measurements?: Record<string, number>;
}

/** A row of vaultState(): one vault at one site. */
export interface RebuiltState {
  readonly site: string;
  readonly vault: string;
  readonly status: string;
  readonly cause: string;
  readonly codes: string;
  readonly addrHash: string;
  readonly expectation: string;
  readonly objects: string;
  /** The vault's owner key (kvprobe-owner tag, lower case), '' when untagged. */
  readonly owner: string;
  readonly runs: number;
  /** Milliseconds since 1970 (the evaluator's datetime). */
  readonly recordTime: number;
}

/** A row of the cause query: one broken object across sites. */
export interface CauseAlertRow {
  readonly object: string;
  readonly codes: string;
  readonly fix: string;
  readonly vaultCount: number;
  readonly vaults: string;
  readonly siteCount: number;
  readonly sites: string;
  readonly since: number;
}

export const VAULT_STATE_FILE = path.join(INFRA_DIR, 'monitoring', 'vault-state.kql');
export const CAUSE_FILE = path.join(INFRA_DIR, 'alerts', 'cause.kql');

/** The Application Insights tables the queries read (classic names, as the rules see them), from the sink's records. */
export function appInsightsTables(
  availability: readonly SinkRecord[],
  events: readonly SinkRecord[],
): Record<string, KqlRow[]> {
  const bag = (x: Record<string, string | number> | undefined): Record<string, KqlValue> => ({ ...(x ?? {}) });
  return {
    customEvents: events.map((e) => ({
      timestamp: Date.parse(e.time),
      name: e.name,
      customDimensions: bag(e.properties),
      customMeasurements: bag(e.measurements),
    })),
    availabilityResults: availability.map((a) => ({
      timestamp: Date.parse(a.time),
      id: a.id ?? '',
      name: a.name,
      location: a.runLocation ?? '',
      success: a.success ?? null,
      message: a.message ?? '',
      customDimensions: bag(a.properties),
    })),
  };
}

/** vault-state.kql with its lookback filled, as alerts.bicep and workbook.bicep put it in front of their queries. */
export const vaultStateQuery = (lookbackMinutes: number): string =>
  fs.readFileSync(VAULT_STATE_FILE, 'utf8').split('__STATE_LOOKBACK__').join(`${lookbackMinutes}m`);

export interface CauseQueryInputs {
  readonly causes: readonly string[];
  readonly minRuns: number;
  readonly includeNoPrivateEndpoint: boolean;
  readonly lookbackMinutes: number;
  /** A vault owner's rule (alertOwners): present for an owner's rule, absent for the platform team's rules. */
  readonly owner?: {
    /** The owner's vaults' names, lower case (may be empty). */
    readonly vaults?: readonly string[];
    /** The owner keys (kvprobe-owner tag values), lower case (may be empty). */
    readonly tags?: readonly string[];
  };
}

/** cause.kql with every placeholder filled as alerts.bicep fills it. */
export function causeQuery(i: CauseQueryInputs): string {
  const values: Record<string, string> = {
    CAUSES: JSON.stringify(i.causes),
    MIN_RUNS: String(i.minRuns),
    // ARM's string() of a bool, as the deployment renders it: True or False (KQL takes either case).
    INCLUDE_NO_PRIVATE_ENDPOINT: i.includeNoPrivateEndpoint ? 'True' : 'False',
    OWNER_RULE: i.owner ? 'True' : 'False',
    OWNED_VAULTS: JSON.stringify(i.owner?.vaults ?? []),
    OWNER_TAGS: JSON.stringify(i.owner?.tags ?? []),
    STATE_LOOKBACK: `${i.lookbackMinutes}m`,
    VAULT_STATE: vaultStateQuery(i.lookbackMinutes),
  };
  return fs.readFileSync(CAUSE_FILE, 'utf8').replace(/__([A-Z][A-Z0-9_]*?)__/g, (whole: string, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`cause.kql: no value for ${whole}`);
    return v;
  });
}

const str = (r: KqlRow, k: string): string => kqlString(r[k]);
const num = (r: KqlRow, k: string): number => Number(r[k] ?? 0);

/** Runs vaultState(lookback) at `now` (ms) over the sink's records. */
export function rebuildState(
  availability: readonly SinkRecord[],
  events: readonly SinkRecord[],
  now: number,
  lookbackMinutes = 125,
): RebuiltState[] {
  return runKql(vaultStateQuery(lookbackMinutes), appInsightsTables(availability, events), { now }).map((r) => ({
    site: str(r, 'site'),
    vault: str(r, 'vault'),
    status: str(r, 'status'),
    cause: str(r, 'cause'),
    codes: str(r, 'codes'),
    addrHash: str(r, 'addrHash'),
    expectation: str(r, 'expectation'),
    objects: str(r, 'objects'),
    owner: str(r, 'owner'),
    runs: num(r, 'runs'),
    recordTime: num(r, 'recordTime'),
  }));
}

/** Runs the cause query of one rule at `now` (ms) over the sink's records. */
export function evaluateCauseQuery(
  availability: readonly SinkRecord[],
  events: readonly SinkRecord[],
  now: number,
  inputs: CauseQueryInputs,
): CauseAlertRow[] {
  return runKql(causeQuery(inputs), appInsightsTables(availability, events), { now }).map((r) => ({
    object: str(r, 'object'),
    codes: str(r, 'codes'),
    fix: str(r, 'fix'),
    vaultCount: num(r, 'vaultCount'),
    vaults: str(r, 'vaults'),
    siteCount: num(r, 'siteCount'),
    sites: str(r, 'sites'),
    since: num(r, 'since'),
  }));
}
