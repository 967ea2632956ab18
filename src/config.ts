import { AZURE_DNS, cloudProfile, type CloudProfile } from './probe/clouds';
import type { ConnectToRule } from './probe/connect-to';
import type { ProbeRequest } from './probe/pipeline';
import type { VaultTarget } from './probe/types';
import { envSource, need } from './settings/read';
import { SETTINGS, type InventorySetting, type Setting } from './settings/table';
import * as types from './settings/types';

export { ConfigError } from './settings/read';
export { DEFAULTS, HTTP_DEADLINE_MAX_MS, type InventorySetting, PER_VAULT_THRESHOLD } from './settings/table';

/** Static bearer tokens the CLI takes from its environment; the Functions app refuses them. */
export const STATIC_TOKEN_SETTINGS = ['KVPROBE_ACCESS_TOKEN', 'KVPROBE_DATAPLANE_TOKEN'] as const;

/** A subscription GUID, lower-cased; the problem names `label` and the value. */
export function parseSubscription(value: string, label: string): string | { problem: string } {
  const r = types.subscription(value, label);
  return 'value' in r ? r.value : r;
}

/** PROBE_START_OFFSET's value, or undefined when it is not one. */
export function startOffsetOf(value: string): 'auto' | 'off' | number | undefined {
  const r = SETTINGS.startOffset.parse(value, 'PROBE_START_OFFSET');
  return 'value' in r ? r.value : undefined;
}

/** NCRONTAB as Azure Functions timers take it; undefined when `value` is one. */
export function scheduleProblem(value: string, label: string): string | undefined {
  const r = SETTINGS.schedule.parse(value, label);
  return 'problem' in r ? r.problem : undefined;
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
  /** Usable settings worth a word: an old setting or flag name in use. Logged by the triggers, printed by the CLI. */
  readonly warnings?: readonly string[];
}

/** The Functions app's settings, read and validated once. */
export interface AppSettings extends ProbeSettings {
  readonly schedule: string;
  /** PROBE_START_OFFSET: where in each interval this site's timer starts. */
  readonly startOffset: 'auto' | 'off' | number;
  /** Subscriptions the HTTP trigger's `?subscription=` may name: PROBE_HTTP_SUBSCRIPTIONS plus PROBE_SUBSCRIPTIONS. */
  readonly httpSubscriptions: readonly string[];
  /** HTTP probes run at once (PROBE_HTTP_CONCURRENCY); more are answered 429. */
  readonly httpConcurrency: number;
  /** PROBE_HTTP_CACHE_SECONDS: how long the HTTP trigger answers the same question from its last result. */
  readonly httpCacheSeconds: number;
  /** PROBE_HTTP_PROBES_PER_MINUTE: fresh HTTP probes per instance in any 60 s; more are answered 429. */
  readonly httpProbesPerMinute: number;
  readonly connectionString: string | undefined;
  /** APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `Authorization=AAD;ClientId=<id>` for Entra-only ingestion. */
  readonly authenticationString: string | undefined;
  /** PROBE_DATAPLANE_AUTH_PERIOD, in minutes: the timer's authenticated read per vault at most this often. */
  readonly dataplaneAuthPeriodMinutes: number;
  /** PROBE_FINDING_REFRESH_RUNS: an open finding's event is sent again every this many runs (telemetry on change). */
  readonly findingRefreshRuns: number;
  /** PROBE_ESTATE: the timer maps the estate after each run (issue 25). */
  readonly estate: boolean;
  /** PROBE_ESTATE_QUERY_DNS: the estate pass asks the DNS servers ARM cannot describe that this site reaches. */
  readonly estateQueryDns: boolean;
  /** PROBE_SITE_SCOPE: private (default): the timer probes what this site reaches privately, plus named vaults. */
  readonly siteScope: 'private' | 'all';
  /** PROBE_SITE_VAULTS: vault names this site probes under `private` whatever it reaches (lower-cased). */
  readonly siteVaults: readonly string[];
}

/**
 * Reads every setting, collecting every problem before failing. The timer needs a scope (PROBE_SUBSCRIPTIONS or
 * PROBE_VAULTS); the HTTP trigger can take its subscription from the request.
 */
export function readAppSettings(
  env: Readonly<Record<string, string | undefined>>,
  opts: { requireScope: boolean } = { requireScope: true },
): AppSettings {
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const src = envSource(get);
  const subscriptions = src.list(SETTINGS.subscriptions);
  const httpSubscriptions = [...subscriptions, ...src.list(SETTINGS.httpSubscriptions)];
  const httpConcurrency = src.one(SETTINGS.httpConcurrency);
  const httpCacheSeconds = src.one(SETTINGS.httpCacheSeconds);
  const httpProbesPerMinute = src.one(SETTINGS.httpProbesPerMinute);
  const targets = src.list(SETTINGS.targets);
  const names = targets.flatMap((t) => (t.kind === 'name' ? [t.name] : []));
  if (names.length > 0 && subscriptions.length === 0 && !get('PROBE_MANAGEMENT_GROUPS')) {
    src.problem(
      `PROBE_VAULTS names vaults by name (${names.join(', ')}) but PROBE_SUBSCRIPTIONS is empty: give the subscriptions to search, or use resource IDs.`,
      'PROBE_VAULTS names vaults by name but PROBE_SUBSCRIPTIONS is empty: give the subscriptions to search, or use resource IDs.',
    );
  }
  // In Azure the app authenticates as its managed identity: a token in an app setting would silently replace it with
  // a plaintext secret (and the data-plane one would be sent to every audience). The CLI keeps them.
  for (const name of STATIC_TOKEN_SETTINGS) {
    if (get(name))
      src.problem(
        `${name} is set (value not shown): the Functions app authenticates with its managed identity only (AZURE_CLIENT_ID); remove this app setting, static tokens are for the kvprobe CLI.`,
      );
  }
  const managementGroups = src.list(SETTINGS.managementGroups);
  if (
    opts.requireScope &&
    !get('PROBE_VAULTS') &&
    !get('PROBE_SUBSCRIPTIONS') &&
    src.given(SETTINGS.managementGroups) === 0
  ) {
    src.problem(
      'PROBE_SUBSCRIPTIONS and PROBE_VAULTS are both empty: set PROBE_SUBSCRIPTIONS to probe every vault with a private endpoint there, or PROBE_VAULTS to name vaults.',
    );
  }
  const inventory = src.one(SETTINGS.inventory);
  const deadlineMs = src.one(SETTINGS.deadlineMs);
  const cloud = src.one(SETTINGS.cloud);
  const armEndpoint = src.one(SETTINGS.armEndpoint);
  const schedule = src.one(SETTINGS.schedule);
  const startOffset = src.one(SETTINGS.startOffset);
  const dnsServers = src.list(SETTINGS.dnsServers);
  const connectTo = src.list(SETTINGS.connectTo);
  const timeoutMs = src.one(SETTINGS.timeoutMs);
  const concurrency = src.one(SETTINGS.concurrency);
  const connectionString = src.one(SETTINGS.connectionString);
  const authenticationString = src.one(SETTINGS.authenticationString);
  // auto: on where the app runs in Azure App Service / Functions (WEBSITE_INSTANCE_ID is set there), off elsewhere.
  const azureDns = src.one(SETTINGS.azureDns);
  const dataplaneAuth = src.one(SETTINGS.dataplaneAuth);
  const findingRefreshRuns = src.one(SETTINGS.findingRefreshRuns);
  const dataplaneAuthPeriod = src.one(SETTINGS.dataplaneAuthPeriod);
  const estate = src.one(SETTINGS.estate) === 'on';
  const estateQueryDns = src.one(SETTINGS.estateQueryDns) === 'on';
  const siteScope = src.one(SETTINGS.siteScope);
  const siteVaults = src.list(SETTINGS.siteVaults);
  const vnetId = src.one(SETTINGS.vnetId);
  src.done();
  const location = need(src.one(SETTINGS.location));
  return Object.freeze({
    location,
    warnings: [...src.warnings],
    vnetId,
    azureDns:
      azureDns === 'on' || (azureDns === 'auto' && get('WEBSITE_INSTANCE_ID') !== undefined) ? AZURE_DNS : undefined,
    dataplaneAuth: dataplaneAuth !== 'off',
    subscriptions,
    targets,
    cloud: cloudProfile(need(cloud), armEndpoint),
    schedule: need(schedule),
    startOffset: need(startOffset),
    httpSubscriptions: [...new Set(httpSubscriptions)],
    httpConcurrency: need(httpConcurrency),
    httpCacheSeconds: need(httpCacheSeconds),
    httpProbesPerMinute: need(httpProbesPerMinute),
    dnsServers,
    connectTo,
    timeoutMs: need(timeoutMs),
    concurrency: need(concurrency),
    deadlineMs: need(deadlineMs),
    inventory: need(inventory),
    managementGroups,
    connectionString,
    authenticationString,
    findingRefreshRuns: need(findingRefreshRuns),
    dataplaneAuthPeriodMinutes: need(dataplaneAuthPeriod),
    estate,
    estateQueryDns,
    siteScope: need(siteScope),
    siteVaults,
  });
}

/** PROBE_VNET_ID / --vnet as the request holds it: the VNet, and the subnet when the setting named one. */
export function siteIds(value: string | undefined): { vnetId?: string; subnetId?: string } {
  if (!value) return {};
  const m = /^(.*\/virtualNetworks\/[^/]+)\/subnets\/[^/]+$/i.exec(value);
  return m?.[1] ? { vnetId: m[1], subnetId: value } : { vnetId: value };
}

/**
 * The settings a configuration-error heartbeat needs, each read on its own so that one bad setting elsewhere does
 * not silence the report of it: undefined where this one is unusable too.
 */
export function readFallbackSettings(env: Readonly<Record<string, string | undefined>>): {
  readonly connectionString: string | undefined;
  readonly authenticationString: string | undefined;
  readonly location: string;
} {
  const get = (name: string): string | undefined => env[name]?.trim() || undefined;
  const one = <T>(setting: Setting<T>): T | undefined => {
    const src = envSource(get);
    const v = src.one(setting);
    return src.problems.length > 0 ? undefined : v;
  };
  return {
    connectionString: one(SETTINGS.connectionString),
    authenticationString: one(SETTINGS.authenticationString),
    location: one(SETTINGS.location) ?? 'unknown',
  };
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
    ...siteIds(s.vnetId),
    azureDns: s.azureDns,
    ...overrides,
  };
}
