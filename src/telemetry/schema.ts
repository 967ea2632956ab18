/**
 * The single source of the telemetry names the probe emits. The alert queries and the workbook in infra/ are
 * checked against this module by tests: rename a dimension here and those tests fail, not an alert in production.
 */

/** Custom event names (`customEvents.name` / `AppEvents.Name`). */
export const EVENTS = {
  /** One per finding, per vault, per run. */
  finding: 'KvProbeFinding',
  /** One per run and probe site. */
  heartbeat: 'KvProbeHeartbeat',
} as const;

/**
 * Availability results (`availabilityResults` / `AppAvailabilityResults`): one per vault per run, with
 * name = the vault name, location = PROBE_LOCATION, success = healthy.
 */
export const AVAILABILITY_DIMENSIONS = {
  vault: 'vault',
  vaultId: 'vaultId',
  host: 'host',
  location: 'location',
  status: 'status',
  findingCodes: 'findingCodes',
  addresses: 'addresses',
  /** Changes whenever the resolved addresses change: see VaultResult.addressesHash. */
  addressesHash: 'addressesHash',
  runId: 'runId',
} as const;

/** Dimensions (`customDimensions` / `Properties`) of the finding event. */
export const FINDING_DIMENSIONS = {
  vault: 'vault',
  vaultId: 'vaultId',
  host: 'host',
  location: 'location',
  code: 'code',
  severity: 'severity',
  addresses: 'addresses',
  message: 'message',
  remediation: 'remediation',
  /** The ARM ID of the object to change. */
  resourceId: 'resourceId',
  /** The az command that fixes or confirms it. */
  command: 'command',
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
} as const;
