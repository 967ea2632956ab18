import { isIP } from 'node:net';
import { AZURE_DNS, CLOUD_NAMES, cloudProfile, isCloudName, type CloudProfile } from './probe/clouds';
import { parseConnectTo, type ConnectToRule } from './probe/connect-to';
import { isSubscriptionId, parseVaultId, vaultNameProblem } from './probe/names';
import type { ProbeRequest } from './probe/pipeline';
import type { VaultTarget } from './probe/types';

/** An unusable setting or flag: names it, its value and what is allowed. Nothing has been sent anywhere. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

export const DEFAULTS = {
  schedule: '0 */5 * * * *',
  timeoutMs: 5000,
  concurrency: 8,
  cloud: 'AzureCloud',
  // Below host.json's functionTimeout (5 minutes), so a slow run still reports every vault before the host kills it.
  deadlineMs: 240_000,
  inventory: 'auto',
  httpConcurrency: 4,
  // A finding still open is sent again every 12 runs (an hour at 5 minutes), so the workbook's findings stay in view.
  findingRefreshRuns: 12,
} as const;

/** Up to this many named vaults, reading each is cheaper than listing whole subscriptions. */
export const PER_VAULT_THRESHOLD = 5;
export const HTTP_CONCURRENCY_RANGE = { min: 1, max: 64 } as const;
/** The HTTP trigger's run deadline: below the 230 s after which the App Service front end answers 504 itself. */
export const HTTP_DEADLINE_MAX_MS = 200_000;
export const FINDING_REFRESH_RANGE = { min: 1, max: 1000 } as const;

export const DEADLINE_RANGE = { min: 1000, max: 3_600_000 } as const;
export const INVENTORY_VALUES = ['auto', 'batched', 'per-vault', 'resource-graph'] as const;
export type InventorySetting = (typeof INVENTORY_VALUES)[number];

export function inventoryProblem(value: string, label: string): string | undefined {
  return (INVENTORY_VALUES as readonly string[]).includes(value) ? undefined : `${label} "${value}" is not allowed: use one of ${INVENTORY_VALUES.join(', ')}.`;
}

export function vnetIdProblem(value: string, label: string): string | undefined {
  // Resource-ID grammar: no empty, "." or ".." segment (it would walk to another ARM path with the probe's token),
  // and none of the characters that would change the URL (query, fragment, escapes, backslash, spaces).
  const segmentsOk = value.split('/').slice(1).every((seg) => seg !== '' && seg !== '.' && seg !== '..' && !/[?#%\\\s]/.test(seg));
  return segmentsOk && /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+$/i.test(value)
    ? undefined
    : `${label} "${value}" is not a virtual network resource ID (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>).`;
}

/** Management group IDs: 1-90 characters of letters, digits, -, _, (, ), and periods not at the end. */
export function managementGroupProblem(value: string, label: string): string | undefined {
  return /^[\w\-().]{1,90}$/.test(value) && !value.endsWith('.') ? undefined : `${label} "${value}" is not a management group ID: 1-90 letters, digits, -, _, ( ) and periods.`;
}

export const TIMEOUT_RANGE = { min: 100, max: 120_000 } as const;
export const CONCURRENCY_RANGE = { min: 1, max: 256 } as const;

/** Splits a list setting on commas, semicolons or whitespace. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,;\s]+/)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Vault and privatelink host suffixes of every cloud, Key Vault and Managed HSM. */
const HOST_SUFFIXES = CLOUD_NAMES.flatMap((c) => {
  const p = cloudProfile(c);
  return [
    { suffix: `.${p.privatelinkZone}`, privatelink: true },
    { suffix: `.privatelink.${p.hsmSuffix}`, privatelink: true },
    { suffix: `.${p.vaultSuffix}`, privatelink: false },
    { suffix: `.${p.hsmSuffix}`, privatelink: false },
  ];
});

/** `kv1.vault.azure.net`, `https://kv1.vault.azure.net/` or a privatelink host → the vault name; else undefined. */
export function vaultFromHost(value: string): { name: string; privatelink: boolean; host: string } | undefined {
  const host = value.replace(/^https:\/\//i, '').replace(/[:/].*$/, '').toLowerCase();
  for (const { suffix, privatelink } of HOST_SUFFIXES) {
    if (host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.')) return { name: host.slice(0, -suffix.length), privatelink, host };
  }
  return undefined;
}

/** A vault name, host name, URL or resource ID; the problem text names `label` and the value. */
export function parseVaultTarget(value: string, label: string): VaultTarget | string {
  const fromHost = vaultFromHost(value);
  if (fromHost && !vaultNameProblem(fromHost.name)) {
    return { kind: 'name', name: fromHost.name, ...(fromHost.privatelink ? { configuredAs: fromHost.host } : {}) };
  }
  if (value.startsWith('/')) {
    const id = parseVaultId(value);
    if (typeof id === 'string') return `${label} "${value}" ${id}.`;
    return { kind: 'id', ...id };
  }
  const problem = vaultNameProblem(value);
  if (problem) return `${label} "${value}" is not a valid Key Vault name: it ${problem} (3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--").`;
  return { kind: 'name', name: value };
}

export function parseSubscription(value: string, label: string): string | { problem: string } {
  return isSubscriptionId(value) ? value.toLowerCase() : { problem: `${label} "${value}" is not a subscription ID: expected a GUID such as 00000000-0000-0000-0000-000000000000.` };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** `ip`, `ip:port`, a bare IPv6 address or `[ipv6]:port`, as c-ares takes them. */
export function dnsServerProblem(value: string, label: string): string | undefined {
  const v4 = /^([^:[\]]+)(?::(\d+))?$/.exec(value);
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  const bare6 = isIP(value) === 6;
  const port = v4?.[2] ?? v6?.[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return `${label} "${value}" has port ${port}: allowed 1-65535.`;
  if ((v4 && IPV4.test(v4[1] ?? '')) || (v6 && isIP(v6[1] ?? '') === 6) || bare6) return undefined;
  return `${label} "${value}" is not a DNS server address: use IP, IP:PORT or [IPv6]:PORT.`;
}

export function intProblem(value: string, label: string, range: { min: number; max: number }): string | undefined {
  if (!/^\d+$/.test(value) || Number(value) < range.min || Number(value) > range.max) {
    return `${label} "${value}" is not allowed: use a whole number from ${range.min} to ${range.max}.`;
  }
  return undefined;
}

export function cloudProblem(value: string, label: string): string | undefined {
  return isCloudName(value) ? undefined : `${label} "${value}" is not allowed: use one of ${CLOUD_NAMES.join(', ')}.`;
}

export function armEndpointProblem(value: string, label: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${label} "${value}" is not a URL: use https://host[:port].`;
  }
  // Never echo the value here: it holds the credentials.
  if (url.username || url.password) return `${label} has user information before "@" (${url.protocol}//***@${url.host}): credentials are never taken from the URL; the probe authenticates with its identity.`;
  if (url.protocol !== 'https:') return `${label} "${value}" is not allowed: ARM must be reached over https:// (bearer tokens are never sent over http).`;
  if (url.pathname !== '/' || url.search || url.hash) return `${label} "${value}" is not allowed: give the endpoint root only, https://host[:port].`;
  return undefined;
}

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

/** NCRONTAB as Azure Functions timers take it: six fields, seconds first. */
export function scheduleProblem(value: string, label: string): string | undefined {
  const fields = value.trim().split(/\s+/);
  const field = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$|^[A-Za-z]{3}(-[A-Za-z]{3})?(,[A-Za-z]{3})*$/;
  if (fields.length !== 6 || !fields.every((f) => field.test(f))) {
    return `${label} "${value}" is not an NCRONTAB expression: use six fields "{second} {minute} {hour} {day} {month} {day-of-week}", e.g. "${DEFAULTS.schedule}".`;
  }
  return undefined;
}

/** What the CLI's flags and the Functions app's settings both decide: what to probe and how. */
export interface ProbeSettings {
  readonly location: string;
  readonly subscriptions: readonly string[];
  readonly targets: readonly VaultTarget[];
  readonly managementGroups: readonly string[];
  readonly cloud: CloudProfile;
  readonly inventory: InventorySetting;
  readonly dnsServers: readonly string[];
  readonly connectTo: readonly ConnectToRule[];
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly deadlineMs: number;
  /** The VNet the probe runs in (PROBE_VNET_ID / --vnet). */
  readonly vnetId: string | undefined;
  /** Ask Azure DNS directly too (PROBE_AZURE_DNS / --azure-dns): its address, or undefined. */
  readonly azureDns: string | undefined;
  /** Send the authenticated read to each address (PROBE_DATAPLANE_AUTH / --[no-]dataplane-auth). */
  readonly dataplaneAuth: boolean;
}

/** The Functions app's settings, read and validated once. */
export interface AppSettings extends ProbeSettings {
  readonly schedule: string;
  /** Subscriptions the HTTP trigger's `?subscription=` may name: PROBE_HTTP_SUBSCRIPTIONS plus PROBE_SUBSCRIPTIONS. */
  readonly httpSubscriptions: readonly string[];
  /** HTTP probes run at once (PROBE_HTTP_CONCURRENCY); more are answered 429. */
  readonly httpConcurrency: number;
  readonly connectionString: string | undefined;
  /** APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `Authorization=AAD;ClientId=<id>` for Entra-only ingestion. */
  readonly authenticationString: string | undefined;
  /** PROBE_FINDING_REFRESH_RUNS: an open finding's event is sent again every this many runs (telemetry on change). */
  readonly findingRefreshRuns: number;
}

/**
 * Reads every setting, collecting every problem before failing. The timer needs a scope (PROBE_SUBSCRIPTIONS or
 * PROBE_VAULTS); the HTTP trigger can take its subscription from the request.
 */
export function readAppSettings(env: Readonly<Record<string, string | undefined>>, opts: { requireScope: boolean } = { requireScope: true }): AppSettings {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };

  const subscriptions: string[] = [];
  for (const s of splitList(get('PROBE_SUBSCRIPTIONS'))) {
    const r = parseSubscription(s, 'PROBE_SUBSCRIPTIONS entry');
    if (typeof r === 'string') subscriptions.push(r);
    else problems.push(r.problem);
  }
  const httpSubscriptions: string[] = [...subscriptions];
  for (const s of splitList(get('PROBE_HTTP_SUBSCRIPTIONS'))) {
    const r = parseSubscription(s, 'PROBE_HTTP_SUBSCRIPTIONS entry');
    if (typeof r === 'string') httpSubscriptions.push(r);
    else problems.push(r.problem);
  }
  const httpConcurrency = get('PROBE_HTTP_CONCURRENCY') ?? String(DEFAULTS.httpConcurrency);
  const httpConcurrencyIssue = intProblem(httpConcurrency, 'PROBE_HTTP_CONCURRENCY', HTTP_CONCURRENCY_RANGE);
  if (httpConcurrencyIssue) problems.push(httpConcurrencyIssue);
  const targets: VaultTarget[] = [];
  for (const v of splitList(get('PROBE_VAULTS'))) {
    const r = parseVaultTarget(v, 'PROBE_VAULTS entry');
    if (typeof r === 'string') problems.push(r);
    else targets.push(r);
  }
  const byName = targets.filter((t) => t.kind === 'name');
  if (byName.length > 0 && subscriptions.length === 0 && !get('PROBE_MANAGEMENT_GROUPS')) {
    problems.push(`PROBE_VAULTS names vaults by name (${byName.map((t) => (t.kind === 'name' ? t.name : '')).join(', ')}) but PROBE_SUBSCRIPTIONS is empty: give the subscriptions to search, or use resource IDs.`);
  }
  const managementGroups = splitList(get('PROBE_MANAGEMENT_GROUPS'));
  for (const m of managementGroups) {
    const p = managementGroupProblem(m, 'PROBE_MANAGEMENT_GROUPS entry');
    if (p) problems.push(p);
  }
  if (opts.requireScope && !get('PROBE_VAULTS') && !get('PROBE_SUBSCRIPTIONS') && managementGroups.length === 0) {
    problems.push('PROBE_SUBSCRIPTIONS and PROBE_VAULTS are both empty: set PROBE_SUBSCRIPTIONS to probe every vault with a private endpoint there, or PROBE_VAULTS to name vaults.');
  }
  const inventory = get('PROBE_INVENTORY') ?? DEFAULTS.inventory;
  const inventoryIssue = inventoryProblem(inventory, 'PROBE_INVENTORY');
  if (inventoryIssue) problems.push(inventoryIssue);
  const deadline = get('PROBE_RUN_DEADLINE_MS') ?? String(deadlineForSchedule(get('PROBE_SCHEDULE') ?? DEFAULTS.schedule));
  const deadlineIssue = intProblem(deadline, 'PROBE_RUN_DEADLINE_MS', DEADLINE_RANGE);
  if (deadlineIssue) problems.push(deadlineIssue);

  const cloudName = get('PROBE_CLOUD') ?? DEFAULTS.cloud;
  const cloudIssue = cloudProblem(cloudName, 'PROBE_CLOUD');
  if (cloudIssue) problems.push(cloudIssue);
  const armEndpoint = get('PROBE_ARM_ENDPOINT');
  const armIssue = armEndpoint ? armEndpointProblem(armEndpoint, 'PROBE_ARM_ENDPOINT') : undefined;
  if (armIssue) problems.push(armIssue);

  const schedule = get('PROBE_SCHEDULE') ?? DEFAULTS.schedule;
  const scheduleIssue = scheduleProblem(schedule, 'PROBE_SCHEDULE');
  if (scheduleIssue) problems.push(scheduleIssue);

  const dnsServers = splitList(get('PROBE_DNS_SERVERS'));
  for (const s of dnsServers) {
    const p = dnsServerProblem(s, 'PROBE_DNS_SERVERS entry');
    if (p) problems.push(p);
  }

  const connectTo: ConnectToRule[] = [];
  for (const rule of splitList(get('PROBE_CONNECT_TO'))) {
    try {
      connectTo.push(parseConnectTo(rule));
    } catch (error) {
      problems.push(`PROBE_CONNECT_TO entry ${error instanceof Error ? error.message : String(error)}.`);
    }
  }

  const timeout = get('PROBE_TIMEOUT_MS') ?? String(DEFAULTS.timeoutMs);
  const timeoutIssue = intProblem(timeout, 'PROBE_TIMEOUT_MS', TIMEOUT_RANGE);
  if (timeoutIssue) problems.push(timeoutIssue);
  const concurrency = get('PROBE_CONCURRENCY') ?? String(DEFAULTS.concurrency);
  const concurrencyIssue = intProblem(concurrency, 'PROBE_CONCURRENCY', CONCURRENCY_RANGE);
  if (concurrencyIssue) problems.push(concurrencyIssue);

  const connectionString = get('APPLICATIONINSIGHTS_CONNECTION_STRING');
  if (connectionString && !/(^|;)\s*InstrumentationKey=[0-9a-fA-F-]{36}\s*(;|$)/i.test(connectionString)) {
    problems.push('APPLICATIONINSIGHTS_CONNECTION_STRING has no valid InstrumentationKey=<GUID>: copy the connection string from the Application Insights resource.');
  }

  const auth = get('APPLICATIONINSIGHTS_AUTHENTICATION_STRING');
  if (auth && !/(^|;)\s*Authorization\s*=\s*AAD\s*(;|$)/i.test(auth)) {
    // The value is not echoed: it may be a secret, and problems reach the HTTP trigger's 500 body and the log.
    problems.push('APPLICATIONINSIGHTS_AUTHENTICATION_STRING is not allowed as set (value not shown): use "Authorization=AAD" or "Authorization=AAD;ClientId=<managed identity client id>".');
  }

  // auto: on where the app runs in Azure App Service / Functions (WEBSITE_INSTANCE_ID is set there), off elsewhere.
  const azureDnsSetting = get('PROBE_AZURE_DNS') ?? 'auto';
  if (!['auto', 'on', 'off'].includes(azureDnsSetting)) problems.push(`PROBE_AZURE_DNS "${azureDnsSetting}" is not allowed: use auto, on or off.`);
  const azureDnsOn = azureDnsSetting === 'on' || (azureDnsSetting === 'auto' && get('WEBSITE_INSTANCE_ID') !== undefined);

  const dataplaneAuth = get('PROBE_DATAPLANE_AUTH') ?? 'on';
  if (!['on', 'off'].includes(dataplaneAuth)) problems.push(`PROBE_DATAPLANE_AUTH "${dataplaneAuth}" is not allowed: use on or off.`);
  const refreshRuns = get('PROBE_FINDING_REFRESH_RUNS') ?? String(DEFAULTS.findingRefreshRuns);
  const refreshIssue = intProblem(refreshRuns, 'PROBE_FINDING_REFRESH_RUNS', FINDING_REFRESH_RANGE);
  if (refreshIssue) problems.push(refreshIssue);

  const vnetId = get('PROBE_VNET_ID');
  const vnetIssue = vnetId ? vnetIdProblem(vnetId, 'PROBE_VNET_ID') : undefined;
  if (vnetIssue) problems.push(vnetIssue);

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    location: get('PROBE_LOCATION') ?? get('WEBSITE_SITE_NAME') ?? 'local',
    vnetId,
    azureDns: azureDnsOn ? AZURE_DNS : undefined,
    dataplaneAuth: dataplaneAuth !== 'off',
    subscriptions,
    targets,
    cloud: cloudProfile(cloudName as Parameters<typeof cloudProfile>[0], armEndpoint),
    schedule,
    httpSubscriptions: [...new Set(httpSubscriptions)],
    httpConcurrency: Number(httpConcurrency),
    dnsServers,
    connectTo,
    timeoutMs: Number(timeout),
    concurrency: Number(concurrency),
    deadlineMs: Number(deadline),
    inventory: inventory as InventorySetting,
    managementGroups,
    connectionString,
    authenticationString: get('APPLICATIONINSIGHTS_AUTHENTICATION_STRING'),
    findingRefreshRuns: Number(refreshRuns),
  });
}

/** The request for what the flags or the settings decided. */
export function probeRequestFor(s: ProbeSettings, overrides: Partial<ProbeRequest> = {}): ProbeRequest {
  return {
    cloud: s.cloud,
    location: s.location,
    subscriptions: s.subscriptions,
    targets: s.targets,
    dataplane: true,
    dataplaneAuth: s.dataplaneAuth,
    timeoutMs: s.timeoutMs,
    concurrency: s.concurrency,
    deadlineMs: s.deadlineMs,
    vnetId: s.vnetId,
    azureDns: s.azureDns,
    ...overrides,
  };
}
