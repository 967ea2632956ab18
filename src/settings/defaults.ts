/** The settings defaults and limits, which the table, the triggers and the engine share. */
export const DEFAULTS = {
  schedule: '0 */5 * * * *',
  timeoutMs: 5000,
  concurrency: 8,
  cloud: 'AzureCloud',
  // Below host.json's functionTimeout (5 minutes), so a slow run still reports every vault before the host kills it.
  deadlineMs: 240_000,
  inventory: 'auto',
  httpConcurrency: 4,
  // The HTTP trigger answers a repeated question from its last result for this long, and starts at most this many
  // fresh probes a minute per instance: a caller looping on it cannot use up the ARM reads the timer needs.
  httpCacheSeconds: 60,
  httpProbesPerMinute: 12,
  // A finding still open is sent again every 12 runs (an hour at 5 minutes), so the workbook's findings stay in view.
  findingRefreshRuns: 12,
  // A site sends each vault's authenticated read at most once an hour, unless what it sees changes: one denied
  // audit entry per vault, address and site per hour instead of one per run.
  dataplaneAuthPeriodMinutes: 60,
} as const;

/** Up to this many named vaults, reading each is cheaper than listing whole subscriptions. */
export const PER_VAULT_THRESHOLD = 5;
export const TIMEOUT_RANGE = { min: 100, max: 120_000 } as const;
export const CONCURRENCY_RANGE = { min: 1, max: 256 } as const;
export const DEADLINE_RANGE = { min: 1000, max: 3_600_000 } as const;
export const HTTP_CONCURRENCY_RANGE = { min: 1, max: 64 } as const;
export const HTTP_CACHE_SECONDS_RANGE = { min: 0, max: 3600 } as const;
export const HTTP_PROBES_PER_MINUTE_RANGE = { min: 1, max: 600 } as const;
/** The HTTP trigger's run deadline: below the 230 s after which the App Service front end answers 504 itself. */
export const HTTP_DEADLINE_MAX_MS = 200_000;
export const DATAPLANE_AUTH_PERIOD_RANGE = { min: 0, max: 1440 } as const;
export const FINDING_REFRESH_RANGE = { min: 1, max: 1000 } as const;
export const INVENTORY_VALUES = ['auto', 'batched', 'per-vault', 'resource-graph'] as const;
export type InventorySetting = (typeof INVENTORY_VALUES)[number];
export const OUTPUT_FORMATS = ['table', 'json', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * The run deadline a schedule allows: 80% of its interval, so a run ends before the next starts and inside the
 * heartbeat lookback, and never above DEFAULTS.deadlineMs (below host.json's functionTimeout). Schedules that are not
 * a plain "every N minutes" (or hourly) get DEFAULTS.deadlineMs.
 */
export function deadlineForSchedule(schedule: string): number {
  const m = /^0 (\*\/(\d+)|0) \* \* \* \*$/.exec(schedule.trim());
  const minutes = m === null ? undefined : m[1] === '0' ? 60 : Number(m[2]);
  if (minutes === undefined || !Number.isFinite(minutes) || minutes < 1) return DEFAULTS.deadlineMs;
  return Math.max(DEADLINE_RANGE.min, Math.min(DEFAULTS.deadlineMs, Math.floor(minutes * 60_000 * 0.8)));
}
