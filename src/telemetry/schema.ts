/**
 * The single source of the telemetry names the probe emits. The alert queries and the workbook in infra/ are
 * checked against this module by tests: rename a dimension here and those tests fail, not an alert in production.
 *
 * Cost rule: a record carries what a query reads and nothing that can be looked up. Static text (titles,
 * remediations) stays in docs/findings/ and the JSON output; the availability result, sent for every vault in every
 * run, holds only short values.
 */

/** Custom event names (`customEvents.name` / `AppEvents.Name`). */
export const EVENTS = {
  /** A finding that appeared, changed, or is repeated every PROBE_FINDING_REFRESH_RUNS runs (see changes.ts). */
  finding: 'KvProbeFinding',
  /** A finding sent before that is no longer reported for its vault at this site. */
  resolved: 'KvProbeFindingResolved',
  /** One per run and probe site. */
  heartbeat: 'KvProbeHeartbeat',
  /** issue 25, PROBE_ESTATE=on: one per (VNet, diagnosis) of the estate pass (telemetry/estate.ts). */
  estateDiagnosis: 'KvProbeEstateDiagnosis',
  /** issue 25: one per estate pass, with its coverage and status counts. */
  estateHeartbeat: 'KvProbeEstateHeartbeat',
} as const;

/**
 * Availability results (`availabilityResults` / `AppAvailabilityResults`): one per vault per run, with
 * name = the vault name, location = PROBE_LOCATION (the site), success = healthy, id = the first 8 characters of the
 * run's ID (the heartbeat's runId). What the alerts read.
 */
export const AVAILABILITY_DIMENSIONS = {
  /** healthy, unhealthy or unknown. */
  status: 'status',
  /** The root cause among the vault's error findings (FINDING_CAUSES order); absent when there is none. */
  cause: 'cause',
  /** The codes of the vault's findings, comma-separated, errors first; absent when there is none. */
  codes: 'codes',
  /** The addresses the resolvers returned, comma-separated; absent when nothing resolved. */
  addresses: 'addresses',
  /**
   * The expected addresses at this site (the approved endpoints' NIC IPs as ARM shows them), comma-separated; absent
   * when they equal `addresses` (the healthy case), so the workbook reads coalesce(expected, addresses).
   */
  expected: 'expected',
  /** What this site expects of the vault: private, public or unreachable; `~` in front when assumed (no VNet known). */
  expectation: 'expectation',
} as const;

/** Dimensions (`customDimensions` / `Properties`) of the finding event. */
export const FINDING_DIMENSIONS = {
  vault: 'vault',
  vaultId: 'vaultId',
  location: 'location',
  code: 'code',
  /** The routing category (FindingInfo.cause). */
  cause: 'cause',
  severity: 'severity',
  /** new, changed or refresh. */
  change: 'change',
  /** First 16 hex digits of SHA-256 over the finding's severity, details and resource ID. */
  detailHash: 'detailHash',
  message: 'message',
  /** The ARM ID of the object to change, when it is not the vault (vaultId). */
  resourceId: 'resourceId',
  /** The az command that fixes or confirms it. */
  command: 'command',
  runId: 'runId',
} as const;

/** Dimensions of the resolved event. */
export const RESOLVED_DIMENSIONS = {
  vault: 'vault',
  vaultId: 'vaultId',
  location: 'location',
  code: 'code',
  cause: 'cause',
  severity: 'severity',
  detailHash: 'detailHash',
  runId: 'runId',
} as const;

/** Dimensions of the heartbeat event. */
export const HEARTBEAT_DIMENSIONS = {
  location: 'location',
  vnetId: 'vnetId',
  runId: 'runId',
  isPastDue: 'isPastDue',
  trigger: 'trigger',
  version: 'version',
  /** off, asked, or stopped: the run's first Azure DNS timeout stopped its questions for the rest of the run. */
  azureDns: 'azureDns',
} as const;

/** Measurements (`customMeasurements` / `Measurements`) of the heartbeat event. */
export const HEARTBEAT_MEASUREMENTS = {
  vaults: 'vaults',
  healthy: 'healthy',
  unhealthy: 'unhealthy',
  unknown: 'unknown',
  skipped: 'skipped',
  durationMs: 'durationMs',
  /** Timer runs this process refused since the last heartbeat because the previous run was still going. */
  overlappingRunsSkipped: 'overlappingRunsSkipped',
  /** Finding and resolved events this run sent (the rest were unchanged). */
  findingEvents: 'findingEvents',
  resolvedEvents: 'resolvedEvents',
} as const;
