import type { FindingCause, FindingCode } from '../probe/findings';

/**
 * The alert rules that select by cause, and the route of every cause to exactly one of them. This is the table the
 * alert tables of README.md and docs/DESIGN.md, infra/alerts/cause-rules.json (read by alerts.bicep) and the replay test follow; a test
 * fails when the JSON and this table differ.
 *
 * To add a finding code: declare it in its cause's file under src/probe/findings/; it is routed by its cause,
 * nothing else to do here (`npm run readme` writes its rows in the docs).
 * To add a cause: add it to FINDING_CAUSES, then the compiler asks for its route below; add it to the same rule's
 * `causes` in infra/alerts/cause-rules.json.
 */
export const CAUSE_ROUTES = {
  inventory: 'vault-unknown',
  probe: 'vault-unknown',
  endpoint: 'private-endpoint',
  zone: 'dns-zone',
  dns: 'dns-resolution',
  dataplane: 'data-plane',
  // No error code has this cause today; a client-side setting shows up as a data-plane failure when it bites.
  client: 'data-plane',
} as const satisfies Record<FindingCause, string>;

export type CauseRuleKey = (typeof CAUSE_ROUTES)[FindingCause];

export interface CauseRule {
  readonly title: string;
  /** Azure Monitor severity: 0 critical, 1 error, 2 warning, 3 informational. */
  readonly severity: 1 | 2;
  /** Which deployment parameter sets the consecutive runs a vault must be broken for before it counts. */
  readonly minRuns: 'findingAlertMinRuns' | 'unknownAlertMinRuns';
}

export const CAUSE_RULES: Readonly<Record<CauseRuleKey, CauseRule>> = {
  'private-endpoint': {
    title: 'private endpoint connection not approved or not provisioned',
    severity: 1,
    minRuns: 'findingAlertMinRuns',
  },
  'dns-zone': { title: 'private DNS zone wrong or not linked', severity: 1, minRuns: 'findingAlertMinRuns' },
  'dns-resolution': { title: 'DNS answers wrongly inside the VNet', severity: 1, minRuns: 'findingAlertMinRuns' },
  'data-plane': { title: 'data plane refused or unreachable', severity: 1, minRuns: 'findingAlertMinRuns' },
  'vault-unknown': { title: 'vault status unknown', severity: 2, minRuns: 'unknownAlertMinRuns' },
};

/**
 * The deployment defaults of the two `minRuns` parameters (infra/main.bicep; a test holds them equal). A rule fires
 * when each of a vault's last `minRuns` results has one of its causes, so one healthy result resolves it.
 */
export const MIN_RUNS_DEFAULTS: Readonly<Record<CauseRule['minRuns'], number>> = {
  findingAlertMinRuns: 2,
  unknownAlertMinRuns: 3,
};

/**
 * Codes that a deployment parameter makes count for their cause's rule even below error: infra/alerts/cause.kql
 * names them, alerts.bicep passes the parameter (a test holds the codes equal to the query's).
 */
export const ALERT_OPT_INS: Readonly<Partial<Record<FindingCode, { readonly parameter: string }>>> = {
  NO_PRIVATE_ENDPOINT: { parameter: 'alertOnVaultsWithoutPrivateEndpoint' },
};

/** The causes each rule selects. */
export function causesOf(rule: CauseRuleKey): FindingCause[] {
  return (Object.keys(CAUSE_ROUTES) as FindingCause[]).filter((c) => CAUSE_ROUTES[c] === rule);
}
