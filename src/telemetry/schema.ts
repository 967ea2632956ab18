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
  /** A diagnosis that appeared, changed, or is repeated every PROBE_FINDING_REFRESH_RUNS runs (see changes.ts). */
  finding: 'KvProbeFinding',
  /** A diagnosis sent before that is no longer reported for its vault at this site. */
  resolved: 'KvProbeFindingResolved',
  /** One per run and probe site: the run record (counts per status, state hash, timings, whether anything changed). */
  heartbeat: 'KvProbeHeartbeat',
  /** Every vault's state at a site, packed: the first run of a process, then every PROBE_FINDING_REFRESH_RUNS runs. */
  snapshot: 'KvProbeSnapshot',
  /** issue 25, PROBE_ESTATE=on: one per (VNet, diagnosis) of the estate pass (telemetry/estate.ts). */
  estateDiagnosis: 'KvProbeEstateDiagnosis',
  /** issue 25: one per estate pass, with its coverage and status counts. */
  estateHeartbeat: 'KvProbeEstateHeartbeat',
} as const;

/**
 * Availability results (`availabilityResults` / `AppAvailabilityResults`): a vault's state at a site, sent when it
 * appears (unless healthy in a snapshot), changes, after a lost run, and in every snapshot while it is not healthy;
 * name = the vault name, location = PROBE_SITE (the site), success = healthy, id = the first 8 characters of the
 * run's ID (the heartbeat's runId). What the alerts and the state rebuild (infra/monitoring/vault-state.kql) read.
 */
export const AVAILABILITY_DIMENSIONS = {
  /** healthy, unhealthy or unknown. */
  status: 'status',
  /** The most upstream cause among the vault's error diagnoses (FINDING_CAUSES order); absent when there is none. */
  cause: 'cause',
  /** The codes of the vault's diagnoses (their root findings), comma-separated, errors first; absent when none. */
  codes: 'codes',
  /**
   * What breaks the vault: `CODE=object` for each error diagnosis (each diagnosis of an unknown vault),
   * comma-separated; object = the root object's resource ID, empty for the vault itself, or the object in words when
   * it is no ARM resource (src/telemetry/state.ts objectKey). What the cause alerts group by; absent when none.
   */
  objects: 'objects',
  /**
   * The vault's owner key: its `kvprobe-owner` tag, lower case (src/probe/owner-tag.ts); what a vault owner's alert
   * rule selects (alertOwners `tag`). Absent when the vault is untagged.
   */
  owner: 'owner',
  /** The addresses the resolvers returned, comma-separated; absent when nothing resolved. */
  addresses: 'addresses',
  /**
   * The expected addresses at this site (the approved endpoints' NIC IPs as ARM shows them), comma-separated; absent
   * when they equal `addresses` (the healthy case), so the workbook reads coalesce(expected, addresses).
   */
  expected: 'expected',
  /** What this site expects of the vault: private, public or unreachable; `~` in front when assumed (no VNet known). */
  expectation: 'expectation',
  /** First 8 hex digits of the resolved addresses' hash (VaultResult.addressesHash); absent when nothing resolved. */
  addrHash: 'addrHash',
  /**
   * Why it was sent: new, changed, snapshot, resend (the run before was not confirmed) or gone (the vault left the
   * site's report; the record repeats its last state).
   */
  change: 'change',
  /** Consecutive runs, this one included, whose state had the same alert route (a cause's rule, or the status). */
  runs: 'runs',
} as const;

/**
 * Dimensions of the snapshot event. `states` holds entries
 * `vault|status|cause|codes|addrHash|expectation|runs|objects` (then `|owner` when the vault has one) joined by `;` (codes, runs, objects and owner as
 * in AVAILABILITY_DIMENSIONS); a site with many vaults sends several parts
 * (`part` = i/n).
 */
export const SNAPSHOT_DIMENSIONS = {
  location: 'location',
  runId: 'runId',
  part: 'part',
  states: 'states',
} as const;

/**
 * Dimensions (`customDimensions` / `Properties`) of the finding event: one per diagnosis (src/probe/diagnoses), its
 * root finding's code and message, the object to change, the fix, and the codes it explains.
 */
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
  /** First 16 hex digits of SHA-256 over the diagnosis' severity, root object, root details and explained codes. */
  detailHash: 'detailHash',
  message: 'message',
  /** The ARM ID of the object to change (the diagnosis' root), when it is not the vault (vaultId). */
  resourceId: 'resourceId',
  /** The commands that fix the root, in order, one per line; when none can, the first that confirms it. */
  command: 'command',
  /** The codes of the findings the diagnosis explains, comma-separated; absent when it explains none. */
  explains: 'explains',
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
  /** First 16 hex digits of SHA-256 over every vault's state at the site (src/telemetry/state.ts stateHash). */
  stateHash: 'stateHash',
  /** true when a vault appeared, changed or left since the previous run. */
  changed: 'changed',
  /** true when this run sent a snapshot. */
  snapshot: 'snapshot',
  /** The timer's PROBE_SITE_SCOPE (private or all); `asked` where the run probed the vaults named to it. */
  siteScope: 'siteScope',
} as const;

/**
 * The one dimension of the heartbeat of a run refused because a setting is unusable (and of no other): the settings'
 * names and what is wrong, never their values. Its `trigger` is `refused`, which heartbeat-missing.kql does not count,
 * so the site alerts as silent.
 */
export const HEARTBEAT_CONFIG_ERROR = 'configError';

/** Measurements (`customMeasurements` / `Measurements`) of the heartbeat event. */
export const HEARTBEAT_MEASUREMENTS = {
  vaults: 'vaults',
  healthy: 'healthy',
  unhealthy: 'unhealthy',
  unknown: 'unknown',
  skipped: 'skipped',
  /** Vaults of the inventory before the site scope; `vaults` of them were probed, `outOfScope` left out. */
  inventory: 'inventory',
  outOfScope: 'outOfScope',
  durationMs: 'durationMs',
  /** Timer runs this process refused since the last heartbeat because the previous run was still going. */
  overlappingRunsSkipped: 'overlappingRunsSkipped',
  /** Finding and resolved events this run sent (the rest were unchanged). */
  findingEvents: 'findingEvents',
  resolvedEvents: 'resolvedEvents',
  /** State records (availability results) this run sent. */
  stateRecords: 'stateRecords',
  discoverMs: 'discoverMs',
  probeMs: 'probeMs',
  reportMs: 'reportMs',
} as const;

/** The report's stage timings the heartbeat carries, by their key in RunReport.timings. */
export const STAGE_MEASUREMENTS = {
  discoverMs: HEARTBEAT_MEASUREMENTS.discoverMs,
  probeMs: HEARTBEAT_MEASUREMENTS.probeMs,
  reportMs: HEARTBEAT_MEASUREMENTS.reportMs,
} as const;
