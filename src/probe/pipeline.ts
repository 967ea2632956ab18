import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { compare } from './checks';
import { authenticatedReadPath, dataplaneAudience, privatelinkZoneOf, vaultHostname, type CloudProfile } from './clouds';
import type { DataplaneTokens } from './dataplane-auth';
import { usableIps } from './endpoints';
import { isPrivateAddress } from './ip';
import { mapLimit, settleBy, since, withTimeout } from './concurrency';
import { cleanDeep, redactUrlCredentials } from './sanitize';
import { commands } from './commands';
import { finding, type Finding } from './findings';
import { InventoryError, type Inventory } from './inventory';
import { parseArmId } from './names';
import type { Observer } from './observer';
import { AzureDnsGate } from './azure-dns-gate';
import { classifyForSite, expectationView, siteExpectation } from './expectation';
import {
  addressesHash,
  resolvedAddresses,
  expectedAddresses,
  reportFinding,
  resolvedView,
  summarize,
  vaultStatus,
  type RunReport,
  type VaultResult,
} from './report';
import type {
  AddressOwner,
  ArmReadError,
  CustomDnsAnswer,
  ForwardingRulesetRecord,
  InboundEndpointRecord,
  DataplaneObservation,
  DnsResolution,
  ExpectedEndpoint,
  ExpectedState,
  NetworkInterfaceRecord,
  DataplaneAuthState,
  ObservedState,
  OsResolution,
  PrivateDnsZoneRecord,
  PrivateEndpointRecord,
  VaultRecord,
  VaultTarget,
  VirtualNetworkRecord,
  ZoneGroupRecord,
} from './types';

/** What to probe and how. Built once from flags or settings. */
export interface ProbeRequest {
  readonly cloud: CloudProfile;
  readonly location: string;
  readonly subscriptions: readonly string[];
  /** Empty: every vault with a private endpoint connection in `subscriptions`. */
  readonly targets: readonly VaultTarget[];
  readonly dataplane: boolean;
  /**
   * Also send one authenticated read to each address (PROBE_DATAPLANE_AUTH): the request that reproduces the 403,
   * which /healthstatus never answers. Needs `deps.dataplaneTokens`.
   */
  readonly dataplaneAuth?: boolean;
  /** Timeout of each network request: one ARM request (a page, a retry), one DNS lookup, one HTTPS request. */
  readonly timeoutMs: number;
  /** Vaults probed at once. */
  readonly concurrency: number;
  /** The whole run's budget; vaults not finished by then are reported unknown. Keep it below the host's timeout. */
  readonly deadlineMs?: number;
  /** The VNet the probe runs in: its DNS servers and peerings decide which zones must be linked where. */
  readonly vnetId?: string | undefined;
  /** Also ask Azure DNS directly (where the probe runs in Azure): `host[:port]`, normally AZURE_DNS. */
  readonly azureDns?: string | undefined;
}

export interface ProbeDeps {
  readonly inventory: Inventory;
  readonly observer: Observer;
  /** Data-plane tokens for the authenticated read; without it the read is off. */
  readonly dataplaneTokens?: DataplaneTokens;
  /** Told where the run is (the CLI draws it on a terminal); cosmetic: what it throws is ignored. */
  readonly progress?: (event: ProgressEvent) => void;
  /** Called once at the start of a run with its signal (aborted at the deadline): adapters bound every request by it. */
  readonly bindRun?: (signal: AbortSignal) => void;
}

/** Where a run is: listing what to probe, probing vault n of N, or writing the report. */
export type ProgressEvent =
  | { readonly phase: 'listing' }
  | { readonly phase: 'probing'; readonly done: number; readonly total: number }
  | { readonly phase: 'reporting' };

/** A vault to probe, or a scope the probe could not turn into one. */
export type Discovered =
  | { readonly kind: 'vault'; readonly vault: VaultRecord; readonly configuredAs?: string }
  | {
      readonly kind: 'unreadable';
      readonly scope: 'vault' | 'subscription';
      readonly label: string;
      readonly vaultId: string | null;
      readonly host: string | null;
      readonly findings: readonly Finding[];
    };

export interface Discovery {
  readonly items: readonly Discovered[];
  readonly skipped: number;
  /** The subscriptions in scope, as resolved (a management group's, when the request named none). */
  readonly subscriptions?: readonly string[];
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/**
 * The budget of one inventory read. A read can be a paged list (thousands of vaults are tens of pages), throttled
 * and retried, and the adapters bound each of its requests by the step timeout; this only stops a read that keeps
 * going, well inside the run's deadline.
 */
export function inventoryBudget(timeoutMs: number): number {
  return Math.max(timeoutMs * 12, 60_000);
}

/** Turns whatever a read threw into data. */
export function toReadError(error: unknown, operation: string, resourceId: string | undefined): ArmReadError {
  if (error instanceof InventoryError) {
    return { operation, resourceId: error.resourceId ?? resourceId, statusCode: error.statusCode, code: error.code, message: error.message };
  }
  if (isAbort(error)) {
    return { operation, resourceId, statusCode: undefined, code: 'Timeout', message: 'the request did not complete within the step timeout' };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { operation, resourceId, statusCode: undefined, code: undefined, message };
}

function armReadFailed(e: ArmReadError): Finding {
  const status = e.statusCode !== undefined ? ` HTTP ${e.statusCode}` : '';
  const code = e.code ? ` ${e.code}` : '';
  const id = e.resourceId;
  const command = !id
    ? undefined
    : /\/providers\/Microsoft\.KeyVault\/vaults\//i.test(id)
      ? commands.showVault(id)
      : /^\/subscriptions\/[^/]+$/i.test(id)
        ? `az keyvault list --subscription ${id.split('/')[2]} --query "[].id"`
        : `az resource show --ids ${id}`;
  return finding(
    'ARM_READ_FAILED',
    `ARM ${e.operation} failed${status}${code}: ${e.message}`,
    { operation: e.operation, resourceId: e.resourceId, statusCode: e.statusCode, armErrorCode: e.code },
    { resourceId: id, command },
  );
}

/** Stage 1: turns the request into vaults, reading each subscription's vault list at most once. */
export async function discover(request: ProbeRequest, inventory: Inventory, signal: AbortSignal): Promise<Discovery> {
  let req = request;
  if (req.subscriptions.length === 0 && inventory.scopeSubscriptions) {
    try {
      req = { ...req, subscriptions: (await withTimeout(signal, inventoryBudget(req.timeoutMs), async (s) => (await inventory.scopeSubscriptions?.(s)) ?? [])) };
    } catch (error) {
      const e = toReadError(error, 'list the scope\'s subscriptions', undefined);
      return { items: [{ kind: 'unreadable', scope: 'subscription', label: 'scope', vaultId: null, host: null, findings: [armReadFailed(e)] }], skipped: 0 };
    }
  }
  const needLists = req.targets.length === 0 || req.targets.some((t) => t.kind === 'name');
  const lists = new Map<string, { vaults: VaultRecord[] } | { error: ArmReadError }>();
  if (needLists) {
    await Promise.all(
      req.subscriptions.map(async (sub) => {
        try {
          lists.set(sub, { vaults: await withTimeout(signal, inventoryBudget(req.timeoutMs), (s) => inventory.listVaults(sub, s)) });
        } catch (error) {
          lists.set(sub, { error: toReadError(error, 'list vaults', `/subscriptions/${sub}`) });
        }
      }),
    );
  }
  const listErrors = [...lists.values()].flatMap((l) => ('error' in l ? [l.error] : []));

  if (req.targets.length === 0) {
    const items: Discovered[] = [];
    let skipped = 0;
    for (const sub of req.subscriptions) {
      const list = lists.get(sub);
      if (!list) continue;
      if ('error' in list) {
        items.push({ kind: 'unreadable', scope: 'subscription', label: sub, vaultId: `/subscriptions/${sub}`, host: null, findings: [armReadFailed(list.error)] });
        continue;
      }
      for (const vault of list.vaults) {
        const item: Discovered = vault.connectionsListed === false ? await readUnlisted(vault, inventory, req, signal) : { kind: 'vault', vault };
        if (item.kind === 'unreadable' || item.vault.connections.length > 0) items.push(item);
        else skipped++;
      }
    }
    return { items, skipped, subscriptions: req.subscriptions };
  }

  const items = await Promise.all(
    req.targets.map(async (target): Promise<Discovered> => {
      if (target.kind === 'id') {
        try {
          return { kind: 'vault', vault: await withTimeout(signal, inventoryBudget(req.timeoutMs), (s) => inventory.getVault(target, s)) };
        } catch (error) {
          const e = toReadError(error, 'get vault', target.id);
          const notFound = e.statusCode === 404;
          return {
            kind: 'unreadable',
            scope: 'vault',
            label: target.name,
            vaultId: target.id,
            host: vaultHostname(target.name, req.cloud),
            findings: [
              notFound
                ? finding(
                    'VAULT_NOT_FOUND',
                    `Vault ${target.id} does not exist (ARM answered 404 ${e.code ?? ''}).`.replace(' )', ')'),
                    { vault: target.name, subscriptions: [target.subscriptionId] },
                    { resourceId: target.id, command: commands.listVaults(target.subscriptionId, target.name) },
                  )
                : armReadFailed(e),
            ],
          };
        }
      }
      const wanted = target.name.toLowerCase();
      for (const list of lists.values()) {
        if ('vaults' in list) {
          const found = list.vaults.find((v) => v.name.toLowerCase() === wanted);
          if (found) return { kind: 'vault', vault: found, ...(target.configuredAs ? { configuredAs: target.configuredAs } : {}) };
        }
      }
      const host = vaultHostname(target.name, req.cloud);
      return {
        kind: 'unreadable',
        scope: 'vault',
        label: target.name,
        vaultId: null,
        host,
        findings:
          listErrors.length > 0
            ? listErrors.map(armReadFailed)
            : [
                finding(
                  'VAULT_NOT_FOUND',
                  `Vault ${target.name} was not found in subscription(s) ${req.subscriptions.join(', ')}.`,
                  { vault: target.name, subscriptions: [...req.subscriptions] },
                  { command: req.subscriptions.map((sub) => commands.listVaults(sub, target.name)).join(' && ') },
                ),
              ],
      };
    }),
  );
  return { items, skipped: 0, subscriptions: req.subscriptions };
}

/**
 * A list entry without `privateEndpointConnections` says nothing about the vault's endpoints: read the vault itself
 * before deciding it has none, so a vault with endpoints is never skipped as endpoint-less (a silent green).
 */
async function readUnlisted(vault: VaultRecord, inventory: Inventory, req: ProbeRequest, signal: AbortSignal): Promise<Discovered> {
  // getVault reads Key Vaults; a Managed HSM list entry always carries its connections (ARM's own list does).
  if (vault.kind === 'managedHsm') return { kind: 'vault', vault };
  try {
    const full = await withTimeout(signal, inventoryBudget(req.timeoutMs), (s) =>
      inventory.getVault({ subscriptionId: vault.subscriptionId, resourceGroup: vault.resourceGroup, name: vault.name }, s),
    );
    return { kind: 'vault', vault: { ...full, connectionsListed: true } };
  } catch (error) {
    const e = toReadError(error, 'get vault', vault.id);
    return { kind: 'unreadable', scope: 'vault', label: vault.name, vaultId: vault.id, host: vault.host, findings: [armReadFailed(e)] };
  }
}

/** ARM's answers to a read the identity may not make: another tenant's resource, a managed service's, no role. */
const DENIED_CODES = new Set(['invalidauthenticationtokentenant', 'linkedauthorizationfailed', 'authorizationfailed', 'invalidauthenticationtoken']);

/** True when a read failed because the identity may not read it (not because it is absent or ARM failed). */
export function isDenied(e: ArmReadError): boolean {
  return e.statusCode === 401 || e.statusCode === 403 || DENIED_CODES.has((e.code ?? '').toLowerCase());
}

/** Reads each endpoint and NIC at most once per run, however many vaults share them. */
export class ReadCache {
  private readonly endpoints = new Map<string, Promise<PrivateEndpointRecord>>();
  private readonly nics = new Map<string, Promise<NetworkInterfaceRecord>>();
  private readonly zones = new Map<string, Promise<PrivateDnsZoneRecord>>();
  private readonly zoneLists = new Map<string, Promise<PrivateDnsZoneRecord[]>>();
  private readonly vnets = new Map<string, Promise<VirtualNetworkRecord>>();
  private readonly rulesetLists = new Map<string, Promise<ForwardingRulesetRecord[]>>();
  private readonly inboundLists = new Map<string, Promise<InboundEndpointRecord[]>>();

  /** The forwarding rulesets linked to the VNet; empty when the inventory cannot read them. */
  rulesets(inventory: Inventory, vnetId: string, signal: AbortSignal): Promise<ForwardingRulesetRecord[]> {
    const read = inventory.listForwardingRulesets;
    if (!read) return Promise.resolve([]);
    return memo(this.rulesetLists, vnetId, () => read.call(inventory, vnetId, signal));
  }

  /** The DNS Private Resolvers' inbound endpoints in the subscriptions; empty when the inventory cannot read them. */
  inbound(inventory: Inventory, subscriptionIds: readonly string[], signal: AbortSignal): Promise<InboundEndpointRecord[]> {
    const read = inventory.listInboundEndpoints;
    if (!read || subscriptionIds.length === 0) return Promise.resolve([]);
    return memo(this.inboundLists, [...subscriptionIds].sort().join(','), () => read.call(inventory, subscriptionIds, signal));
  }

  zone(inventory: Inventory, id: string, signal: AbortSignal): Promise<PrivateDnsZoneRecord> {
    const read = inventory.getPrivateDnsZone;
    if (!read) return Promise.reject(new InventoryError('no private DNS reader', 'get private DNS zone', id, undefined, 'NotSupported'));
    return memo(this.zones, id, () => read.call(inventory, id, signal));
  }

  zoneList(inventory: Inventory, subscriptionId: string, names: readonly string[], signal: AbortSignal): Promise<PrivateDnsZoneRecord[]> {
    const read = inventory.listPrivateDnsZones;
    if (!read) return Promise.resolve([]);
    return memo(this.zoneLists, `${subscriptionId}/${names.join(',')}`, () => read.call(inventory, subscriptionId, names, signal));
  }

  vnet(inventory: Inventory, id: string, signal: AbortSignal): Promise<VirtualNetworkRecord> {
    const read = inventory.getVirtualNetwork;
    if (!read) return Promise.reject(new InventoryError('no virtual network reader', 'get virtual network', id, undefined, 'NotSupported'));
    return memo(this.vnets, id, () => read.call(inventory, id, signal));
  }

  endpoint(inventory: Inventory, id: string, signal: AbortSignal): Promise<PrivateEndpointRecord> {
    return memo(this.endpoints, id, () => inventory.getPrivateEndpoint(id, signal));
  }

  nic(inventory: Inventory, id: string, signal: AbortSignal): Promise<NetworkInterfaceRecord> {
    return memo(this.nics, id, () => inventory.getNetworkInterface(id, signal));
  }
}

function memo<T>(map: Map<string, Promise<T>>, id: string, load: () => Promise<T>): Promise<T> {
  const key = id.toLowerCase();
  let p = map.get(key);
  if (!p) {
    p = load();
    map.set(key, p);
  }
  return p;
}

/** A value ARM gave that the probe cannot use: the vault's stages stop, and its result says which value. */
export class InvalidArmValue extends Error {
  override readonly name = 'InvalidArmValue';
}

const optionalString = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';

/**
 * Checks the values of a vault record that the checks use, where the SDKs' typings only promise them: an ARM
 * payload (or a proxy in front of ARM) can put a number where a string belongs.
 */
export function checkVaultValues(vault: VaultRecord): void {
  const bad = (path: string, v: unknown): never => {
    throw new InvalidArmValue(`ARM gave ${path} = ${JSON.stringify(v)?.slice(0, 80) ?? String(v)} (${v === null ? 'null' : typeof v}) for vault ${String(vault.name)}`);
  };
  if (typeof vault.name !== 'string') bad('name', vault.name);
  if (!vault.host) bad('name (not a valid vault name, so no host to probe)', vault.name);
  if (!optionalString(vault.publicNetworkAccess)) bad('properties.publicNetworkAccess', vault.publicNetworkAccess);
  if (!Array.isArray(vault.connections)) bad('properties.privateEndpointConnections', vault.connections);
  vault.connections.forEach((c, i) => {
    const at = `properties.privateEndpointConnections[${i}]`;
    if (typeof c !== 'object' || c === null) bad(at, c);
    if (!optionalString(c.status)) bad(`${at}.properties.privateLinkServiceConnectionState.status`, c.status);
    if (!optionalString(c.provisioningState)) bad(`${at}.properties.provisioningState`, c.provisioningState);
    if (!optionalString(c.privateEndpointId)) bad(`${at}.properties.privateEndpoint.id`, c.privateEndpointId);
  });
}

/** Stage 2: the vault's endpoints and their NICs. A failed read is kept with the endpoint, never thrown. */
export async function readExpected(
  vault: VaultRecord,
  inventory: Inventory,
  cache: ReadCache,
  signal: AbortSignal,
  timeoutMs: number,
  /** The subscriptions in scope; empty: no scope to be outside of. */
  scope: readonly string[] = [],
): Promise<ExpectedState> {
  const inScope = new Set([...scope, vault.subscriptionId].map((x) => x.toLowerCase()));
  const endpoints = await Promise.all(
    vault.connections.map(async (connection): Promise<ExpectedEndpoint> => {
      const errors: ArmReadError[] = [];
      const peId = connection.privateEndpointId;
      if (!peId) return { connection, endpoint: undefined, networkInterfaces: [], errors };
      let endpoint: PrivateEndpointRecord | undefined;
      try {
        endpoint = await withTimeout(signal, inventoryBudget(timeoutMs), (s) => cache.endpoint(inventory, peId, s));
      } catch (error) {
        const e = toReadError(error, 'get private endpoint', peId);
        errors.push(e);
        // Denied: another tenant's endpoint or a managed one. Out of scope and unreadable: not ours to judge.
        const sub = (parseArmId(peId)?.subscriptionId ?? '').toLowerCase();
        const foreign = isDenied(e) ? 'denied' : scope.length > 0 && !inScope.has(sub) && e.statusCode !== 404 ? 'out-of-scope' : undefined;
        return { connection, endpoint: undefined, networkInterfaces: [], errors, ...(foreign ? { foreign } : {}) };
      }
      const networkInterfaces: NetworkInterfaceRecord[] = [];
      for (const nicId of endpoint.networkInterfaceIds) {
        try {
          networkInterfaces.push(await withTimeout(signal, inventoryBudget(timeoutMs), (s) => cache.nic(inventory, nicId, s)));
        } catch (error) {
          errors.push(toReadError(error, 'get network interface', nicId));
        }
      }
      return { connection, endpoint, networkInterfaces, errors };
    }),
  );
  return { vault, endpoints };
}

/** The DNS zone groups of each endpoint that exists. A failed read leaves the endpoint's groups unknown. */
export async function readZoneGroups(expected: ExpectedState, inventory: Inventory, signal: AbortSignal, timeoutMs: number): Promise<ExpectedState> {
  const listGroups = inventory.listZoneGroups;
  if (!listGroups) return expected;
  const endpoints = await Promise.all(
    expected.endpoints.map(async (ep): Promise<ExpectedEndpoint> => {
      const peId = ep.endpoint?.id;
      if (!peId) return ep;
      try {
        const zoneGroups: ZoneGroupRecord[] = await withTimeout(signal, inventoryBudget(timeoutMs), (s) => listGroups.call(inventory, peId, s));
        return { ...ep, zoneGroups };
      } catch {
        return ep;
      }
    }),
  );
  return { ...expected, endpoints };
}

/**
 * True when what the resolvers returned is not exactly what this site expects (the usable endpoints it reaches; any
 * usable endpoint without a known site), or a resolver failed. A healthy vault with endpoints in two regions has
 * not drifted: each site resolves to its own.
 */
export function resolutionDrifted(expected: ExpectedState, observed: ObservedState, vnetId?: string): boolean {
  const { os, dns } = observed.dns;
  if (os.error || dns.error) return true;
  const site = siteExpectation(expected, vnetId);
  const got = new Set(resolvedAddresses(observed.dns));
  const custom = (observed.customDns ?? []).filter((c) => c.kind !== 'azure');
  if (site.kind !== 'private') return [...got].some((a) => classifyForSite(a, expected).private) || custom.some((c) => c.error !== undefined);
  const want = new Set(site.ips);
  return want.size !== got.size || [...got].some((a) => !want.has(a)) || custom.some((c) => c.error || c.addresses.some((a) => !want.has(a)));
}

/**
 * Stage 2b: where the vault's privatelink name is served from: the zones its endpoints' zone groups name, and the
 * zones of that name in the subscriptions in scope; and the VNet the probe stands in. Failed reads are skipped:
 * these facts sharpen findings, and their absence must not change a vault's status.
 */
export async function readDnsState(
  expected: ExpectedState,
  zoneName: string,
  req: ProbeRequest,
  inventory: Inventory,
  cache: ReadCache,
  signal: AbortSignal,
): Promise<ExpectedState> {
  if (!inventory.getPrivateDnsZone && !inventory.listPrivateDnsZones) return expected;
  const byId = new Map<string, PrivateDnsZoneRecord>();
  const groupZoneIds = expected.endpoints.flatMap((e) => (e.zoneGroups ?? []).flatMap((g) => g.zoneIds));
  await Promise.all([
    ...[...new Set(groupZoneIds.map((z) => z.toLowerCase()))].map(async (id) => {
      try {
        const z = await withTimeout(signal, inventoryBudget(req.timeoutMs), (s) => cache.zone(inventory, id, s));
        if (z.name === zoneName) byId.set(z.id.toLowerCase(), z);
      } catch {
        // An unreadable zone is left out; the zone-group finding still names it.
      }
    }),
    ...[...new Set([...req.subscriptions, expected.vault.subscriptionId].map((x) => x.toLowerCase()))].map(async (sub) => {
      try {
        for (const z of await withTimeout(signal, inventoryBudget(req.timeoutMs), (s) => cache.zoneList(inventory, sub, [zoneName], s))) {
          if (z.name === zoneName) byId.set(z.id.toLowerCase(), z);
        }
      } catch {
        // As above: missing zones narrow the findings, they do not fail the vault.
      }
    }),
  ]);
  let probeVnet: VirtualNetworkRecord | undefined;
  let rulesets: ForwardingRulesetRecord[] | undefined;
  let inboundEndpoints: InboundEndpointRecord[] | undefined;
  if (req.vnetId) {
    const vnetId = req.vnetId;
    try {
      probeVnet = await withTimeout(signal, inventoryBudget(req.timeoutMs), (s) => cache.vnet(inventory, vnetId, s));
    } catch {
      probeVnet = undefined;
    }
    if (probeVnet) {
      // Which VNet serves this VNet's resolution: rulesets linked here, and the resolvers their rules (or the VNet's
      // DNS servers) send to. Unreadable: the VNets stay unknown, and ZONE_NOT_LINKED judges only what it knows.
      try {
        rulesets = await withTimeout(signal, inventoryBudget(req.timeoutMs), (s) => cache.rulesets(inventory, vnetId, s));
        const subs = [...new Set([...req.subscriptions, parseArmId(vnetId)?.subscriptionId ?? '', ...rulesets.map((r) => parseArmId(r.id)?.subscriptionId ?? '')].filter(Boolean).map((x) => x.toLowerCase()))];
        if (rulesets.length > 0 || probeVnet.dnsServers.length > 0) inboundEndpoints = await withTimeout(signal, inventoryBudget(req.timeoutMs), (s) => cache.inbound(inventory, subs, s));
      } catch {
        // As above.
      }
    }
  }
  return { ...expected, zones: [...byId.values()], ...(probeVnet ? { probeVnet } : {}), ...(rulesets ? { rulesets } : {}), ...(inboundEndpoints ? { inboundEndpoints } : {}) };
}

/** Stage 3b: who holds each private address the resolvers returned that is no endpoint of this vault. */
export async function readAddressOwners(
  expected: ExpectedState,
  observed: ObservedState,
  req: ProbeRequest,
  inventory: Inventory,
  signal: AbortSignal,
): Promise<ExpectedState> {
  const find = inventory.findAddressOwner;
  if (!find) return expected;
  const own = new Set(expected.endpoints.flatMap((e) => e.networkInterfaces.flatMap((n) => n.ipConfigurations.map((c) => c.privateIpAddress))));
  // Private for this site: RFC 1918, RFC 6598, ULA, or inside the VNet's and its peers' address spaces.
  const addresses = resolvedAddresses(observed.dns).filter((a) => classifyForSite(a, expected).private && !own.has(a));
  const subs = [...new Set([...req.subscriptions, expected.vault.subscriptionId].map((x) => x.toLowerCase()))];
  const owners: AddressOwner[] = [];
  for (const address of addresses) {
    try {
      const owner = await withTimeout(signal, inventoryBudget(req.timeoutMs), (s) => find.call(inventory, address, subs, s));
      if (owner) owners.push(owner);
    } catch {
      // Unknown owner: the DNS finding stands on its own.
    }
  }
  return owners.length > 0 ? { ...expected, addressOwners: owners } : expected;
}

/** The authenticated read of stage 3: where tokens come from, for which audience, and what to read. */
export interface AuthPlan {
  readonly tokens: DataplaneTokens;
  readonly audience: string;
  readonly path: string;
}

/** Gets the token for the authenticated read; a failure is kept as data and the read is skipped. */
async function authFor(plan: AuthPlan | undefined, timeoutMs: number, signal: AbortSignal): Promise<{ state: DataplaneAuthState; token?: string }> {
  if (!plan) return { state: { mode: 'off' } };
  try {
    // A credential chain may not honour the signal (a CLI login spawns a process): race it, do not wait for it.
    const token = await withTimeout(signal, timeoutMs, (s) =>
      Promise.race([
        plan.tokens.get(plan.audience, s),
        new Promise<never>((_, reject) => {
          if (s.aborted) reject(s.reason);
          s.addEventListener('abort', () => reject(s.reason), { once: true });
        }),
      ]),
    );
    return { state: { mode: 'token', audience: plan.audience }, token };
  } catch (error) {
    const message = isAbort(error) ? `no token within the step timeout (${timeoutMs} ms)` : error instanceof Error ? error.message : String(error);
    return { state: { mode: 'unavailable', audience: plan.audience, error: message.replace(/\s+/g, ' ').trim().slice(0, 500) } };
  }
}

/** At most this many addresses of one name are probed on the data plane; whoever controls DNS controls the rest. */
export const MAX_DATAPLANE_ADDRESSES = 8;

function stepTimeoutMessage(error: unknown, timeoutMs: number): string {
  return error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : error instanceof Error ? error.message : String(error);
}

/** A resolver step that threw: a timeout or abort when it was one, else the error as it was (an adapter defect). */
function thrownDnsError(error: unknown, timeoutMs: number): { kind: 'TIMEOUT' | 'OTHER'; code: string; message: string } {
  const abort = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  return { kind: abort ? 'TIMEOUT' : 'OTHER', code: abort ? 'ETIMEOUT' : 'EPROBE', message: stepTimeoutMessage(error, timeoutMs) };
}

/**
 * Runs a step that reports its own failures as data, turning a throw (an abandoned step, a bug in an adapter) into
 * the same kind of data, and retries once when the first attempt timed out and the run still has time: one slow
 * answer on a busy machine is not a failure.
 */
async function stepWithRetry<T>(
  signal: AbortSignal,
  timeoutMs: number,
  step: (s: AbortSignal) => Promise<T>,
  failed: (error: unknown) => T,
  timedOut: (result: T) => boolean,
): Promise<T> {
  const attempt = async (): Promise<T> => {
    try {
      return await withTimeout(signal, timeoutMs, step);
    } catch (error) {
      return failed(error);
    }
  };
  const first = await attempt();
  return timedOut(first) && !signal.aborted ? attempt() : first;
}

/** Key Vault's answer (a 403 message, a header) is server text: cleaned before it reaches the report. */
const cleanObservation = (o: DataplaneObservation): DataplaneObservation => cleanDeep(o);

// getaddrinfo reports a DNS server that did not answer in time as EAI_AGAIN ("temporary failure"): a timeout too.
const dnsTimeout = (e: { error?: { kind: string; code: string } | undefined }): boolean => e.error?.kind === 'TIMEOUT' || e.error?.code === 'EAI_AGAIN';

/** `ip`, `ip:port` or `[ipv6]:port`: what a VNet's DNS server list may hold. Anything else is not asked. */
export function dnsServerAddress(value: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(value);
  if (bracketed) return isIP(bracketed[1] ?? '') === 6 && (bracketed[2] === undefined || Number(bracketed[2]) <= 65535);
  if (isIP(value) !== 0) return true;
  const m = /^([^:]+):(\d{1,5})$/.exec(value);
  return !!m && isIP(m[1] ?? '') === 4 && Number(m[2]) >= 1 && Number(m[2]) <= 65535;
}

/** Stage 3: what the network shows from here: both resolvers, then the data plane on every address (up to a cap). */
export async function observe(
  host: string,
  observer: Observer,
  opts: { dataplane: boolean; timeoutMs: number; customDnsServers?: readonly string[]; azureDns?: string | undefined; auth?: AuthPlan | undefined },
  signal: AbortSignal,
): Promise<ObservedState> {
  const { timeoutMs } = opts;
  const started = performance.now();
  const [os, dns, auth] = await Promise.all([
    stepWithRetry<OsResolution>(signal, timeoutMs, (s) => observer.resolveOs(host, s), (e) => ({ addresses: [], error: thrownDnsError(e, timeoutMs), durationMs: since(started) }), dnsTimeout),
    stepWithRetry<DnsResolution>(signal, timeoutMs, (s) => observer.resolveDns(host, s), (e) => ({ servers: [], cnames: [], addresses: [], error: thrownDnsError(e, timeoutMs), durationMs: since(started) }), dnsTimeout),
    authFor(opts.dataplane ? opts.auth : undefined, timeoutMs, signal),
  ]);
  const read = auth.token !== undefined && opts.auth ? { token: auth.token, path: opts.auth.path } : undefined;
  // Clients connect to what getaddrinfo returns; DNS-only addresses are probed too, so a split answer shows both.
  const addresses = resolvedAddresses({ os, dns });
  // Each address is two requests (/healthstatus, then the authenticated read), each within the step timeout.
  const perAddress = read ? timeoutMs * 2 : timeoutMs;
  const probed = addresses.slice(0, MAX_DATAPLANE_ADDRESSES);
  const probeFailed = (address: string, via?: string) => (e: unknown): DataplaneObservation => ({
    address,
    ...(via ? { via } : {}),
    tcpConnectionForbidden: false,
    failure: { phase: 'timeout', code: 'ETIMEDOUT', message: stepTimeoutMessage(e, timeoutMs) },
    timings: { totalMs: since(started) },
  });
  const dpTimeout = (o: DataplaneObservation): boolean => o.failure?.phase === 'timeout' || o.failure?.code === 'ETIMEDOUT';
  const dataplane: DataplaneObservation[] = opts.dataplane
    ? (await Promise.all(probed.map((a) => stepWithRetry(signal, perAddress, (s) => observer.probeDataplane(host, a, s, read), probeFailed(a), dpTimeout)))).map(cleanObservation)
    : [];
  const proxy = observer.proxyFor(host);
  const viaProxy = observer.probeDataplaneViaProxy;
  if (opts.dataplane && proxy && viaProxy) {
    const shown = redactUrlCredentials(proxy.value);
    const o = await stepWithRetry(signal, perAddress, (s) => viaProxy.call(observer, host, proxy.value, s, read), probeFailed(host, shown), dpTimeout);
    dataplane.push(cleanObservation(o.via ? { ...o, via: redactUrlCredentials(o.via) } : o));
  }
  const via = observer.resolveVia;
  const asked: { server: string; kind: 'custom' | 'azure' }[] = [
    ...(opts.customDnsServers ?? []).map((server) => ({ server, kind: 'custom' as const })),
    ...(opts.azureDns ? [{ server: opts.azureDns, kind: 'azure' as const }] : []),
  ];
  const customDns =
    via && asked.length > 0
      ? await Promise.all(
          asked.map(async ({ server, kind }): Promise<CustomDnsAnswer & { kind: 'custom' | 'azure' }> => {
            // The VNet's DNS servers come from ARM: one that is not an address is reported, never asked.
            if (!dnsServerAddress(server)) return { server, addresses: [], error: { kind: 'OTHER', code: 'EBADSERVER', message: 'not an IP address' }, kind };
            const answer = await stepWithRetry<CustomDnsAnswer>(signal, timeoutMs, (s) => via.call(observer, host, server, s), (e) => ({ server, addresses: [], error: thrownDnsError(e, timeoutMs) }), dnsTimeout);
            return { ...answer, kind };
          }),
        )
      : undefined;
  return {
    host,
    dns: { os, dns },
    dataplane,
    dataplaneSkipped: !opts.dataplane,
    ...(opts.dataplane ? { dataplaneAuth: auth.state } : {}),
    ...(addresses.length > probed.length ? { dataplaneNotProbed: addresses.slice(probed.length) } : {}),
    proxy: proxy ? { ...proxy, value: redactUrlCredentials(proxy.value) } : undefined,
    ...(customDns ? { customDns } : {}),
  };
}

/** False when an endpoint or NIC read failed for a reason other than its absence (a 404 is itself a fact). */
export function isComplete(expected: ExpectedState): boolean {
  // A foreign endpoint's read is denied by design; the vault's readable endpoints decide its status.
  return expected.endpoints.every((e) => e.foreign !== undefined || e.errors.every((x) => x.statusCode === 404));
}

/** Probes one discovered item to exactly one result; never throws. */
export async function probeOne(
  item: Discovered,
  req: ProbeRequest,
  deps: ProbeDeps,
  cache: ReadCache,
  signal: AbortSignal,
  gate?: AzureDnsGate,
): Promise<VaultResult> {
  const stage = { name: 'expected' };
  try {
    return await probeStages(item, req, deps, cache, signal, stage, gate);
  } catch (error) {
    return stepFailedResult(item, stage.name, error);
  }
}

/** The result of a vault whose stages threw: unknown, with what happened. Other vaults are not affected. */
export function stepFailedResult(item: Discovered, stage: string, error: unknown): VaultResult {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const vaultId = item.kind === 'vault' ? item.vault.id : item.vaultId;
  return {
    ...emptyResult(item),
    status: 'unknown',
    findings: [
      reportFinding(
        finding(
          'PROBE_STEP_FAILED',
          `The probe failed in its ${stage} stage for this vault (${message}); this vault's result is unknown, the other vaults were probed.`,
          { stage, error: message },
          // What the probe read is what to attach to a report: the vault's ARM JSON, or the scope's subscriptions.
          { resourceId: vaultId ?? undefined, command: vaultId ? commands.showVault(vaultId) : 'az account list --query "[].{id:id, state:state}"' },
        ),
      ),
    ],
  };
}

function emptyResult(item: Discovered): VaultResult {
  return {
    vault: item.kind === 'vault' ? item.vault.name : item.label,
    vaultId: item.kind === 'vault' ? item.vault.id : item.vaultId,
    scope: item.kind === 'vault' ? 'vault' : item.scope,
    host: item.kind === 'vault' ? item.vault.host : item.host,
    status: 'unknown',
    publicNetworkAccess: item.kind === 'vault' ? (typeof item.vault.publicNetworkAccess === 'string' ? item.vault.publicNetworkAccess : null) : null,
    expectation: null,
    expected: [],
    resolved: resolvedView(undefined),
    dataplane: [],
    addressesHash: null,
    findings: [],
    timings: {},
  };
}

async function probeStages(
  item: Discovered,
  req: ProbeRequest,
  deps: ProbeDeps,
  cache: ReadCache,
  signal: AbortSignal,
  stage: { name: string },
  gate: AzureDnsGate | undefined,
): Promise<VaultResult> {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  let expected: ExpectedState | undefined;
  let earlyFindings: readonly Finding[] = [];
  if (item.kind === 'vault') {
    const t = performance.now();
    checkVaultValues(item.vault);
    expected = await readExpected(item.vault, deps.inventory, cache, signal, req.timeoutMs, req.subscriptions);
    if (deps.inventory.zoneGroupPolicy !== 'on-drift') expected = await readZoneGroups(expected, deps.inventory, signal, req.timeoutMs);
    expected = await readDnsState(expected, privatelinkZoneOf(item.vault, req.cloud), req, deps.inventory, cache, signal);
    timings['expectedMs'] = since(t);
  } else {
    earlyFindings = item.findings;
  }
  const host = item.kind === 'vault' ? item.vault.host : item.host;
  let observed: ObservedState | undefined;
  const site = expected ? siteExpectation(expected, req.vnetId) : undefined;
  if (host) {
    stage.name = 'observe';
    const t = performance.now();
    // Unreachable by design: the data plane would only confirm the refusal the expectation already states.
    const dataplane = req.dataplane && !(site?.kind === 'unreachable' && !site.assumed);
    const azureDns = gate && expected ? gate.ask(expected, req.vnetId, privatelinkZoneOf(expected.vault, req.cloud)) : req.azureDns;
    const kind = item.kind === 'vault' ? item.vault : {};
    const auth = req.dataplaneAuth && deps.dataplaneTokens ? { tokens: deps.dataplaneTokens, audience: dataplaneAudience(kind, req.cloud), path: authenticatedReadPath(kind) } : undefined;
    observed = await observe(host, deps.observer, { dataplane, timeoutMs: req.timeoutMs, customDnsServers: expected?.probeVnet?.dnsServers ?? [], azureDns, auth }, signal);
    gate?.record(observed);
    timings['observedMs'] = since(t);
    if (expected && deps.inventory.zoneGroupPolicy === 'on-drift' && resolutionDrifted(expected, observed, req.vnetId)) {
      // At scale, zone groups are read only where resolution drifted: one read per endpoint per run would undo
      // what batching saves. Zones named only by those groups are read then.
      expected = await readZoneGroups(expected, deps.inventory, signal, req.timeoutMs);
      expected = await readDnsState(expected, privatelinkZoneOf(expected.vault, req.cloud), req, deps.inventory, cache, signal);
    }
    stage.name = 'expected';
    if (expected) expected = await readAddressOwners(expected, observed, req, deps.inventory, signal);
    timings['osResolveMs'] = observed.dns.os.durationMs;
    timings['dnsResolveMs'] = observed.dns.dns.durationMs;
  }
  stage.name = 'compare';
  const t = performance.now();
  const configuredAs = item.kind === 'vault' ? item.configuredAs : undefined;
  const findings = [...earlyFindings, ...(observed ? compare({ cloud: req.cloud, expected, observed, ...(configuredAs ? { configuredAs } : {}), ...(req.vnetId ? { vnetId: req.vnetId } : {}) }) : [])];
  timings['compareMs'] = since(t);
  timings['totalMs'] = since(t0);
  stage.name = 'report';
  return {
    vault: item.kind === 'vault' ? item.vault.name : item.label,
    vaultId: item.kind === 'vault' ? item.vault.id : item.vaultId,
    scope: item.kind === 'vault' ? 'vault' : item.scope,
    host,
    status: vaultStatus(expected !== undefined && isComplete(expected), findings),
    publicNetworkAccess: expected?.vault.publicNetworkAccess ?? null,
    expectation: expected ? expectationView(siteExpectation(expected, req.vnetId)) : null,
    expected: expectedAddresses(expected),
    resolved: resolvedView(observed),
    dataplane: observed?.dataplane ?? [],
    addressesHash: observed ? addressesHash(resolvedAddresses(observed.dns)) : null,
    findings: findings.map(reportFinding),
    timings,
  };
}

/** The result of a vault the run did not finish before its deadline: unknown, never dropped. */
function deadlineResult(item: Discovered, deadlineMs: number, partial: VaultResult | undefined): VaultResult {
  const f = reportFinding(
    finding(
      'RUN_DEADLINE_EXCEEDED',
      `The run's deadline of ${deadlineMs} ms passed before this vault was ${partial ? 'finished' : 'reached'}.`,
      { deadlineMs },
      { resourceId: item.kind === 'vault' ? item.vault.id : (item.vaultId ?? undefined), command: 'az functionapp config appsettings set -g <resource-group> -n <function-app> --settings PROBE_RUN_DEADLINE_MS=<ms> PROBE_CONCURRENCY=<n>' },
    ),
  );
  const base: VaultResult = partial ?? emptyResult(item);
  // Step failures caused by the deadline say nothing about the vault: keep only the deadline finding.
  return { ...base, status: 'unknown', findings: [f] };
}

/** How long after the deadline the run waits for stages still settling before it reports them unknown. */
export const DEADLINE_GRACE_MS = 1000;

/** What discovery would have tried, when it did not finish by the deadline: each target, or each subscription. */
function undiscovered(req: ProbeRequest): Discovered[] {
  if (req.targets.length > 0) {
    return req.targets.map((t) => ({
      kind: 'unreadable',
      scope: 'vault',
      label: t.name,
      vaultId: t.kind === 'id' ? t.id : null,
      host: vaultHostname(t.name, req.cloud),
      findings: [],
    }));
  }
  const subs = req.subscriptions.length > 0 ? req.subscriptions : ['scope'];
  return subs.map((sub) => ({ kind: 'unreadable', scope: 'subscription', label: sub, vaultId: sub === 'scope' ? null : `/subscriptions/${sub}`, host: null, findings: [] }));
}

function unreadableScope(req: ProbeRequest, error: unknown): Discovered {
  const failed = stepFailedResult({ kind: 'unreadable', scope: 'subscription', label: 'scope', vaultId: null, host: null, findings: [] }, 'discover', error);
  return { kind: 'unreadable', scope: 'subscription', label: req.subscriptions.join(',') || 'scope', vaultId: null, host: null, findings: failed.findings.map(toFinding) };
}

function toFinding(f: VaultResult['findings'][number]): Finding {
  return finding('PROBE_STEP_FAILED', f.message, f.details as { stage: string; error: string }, { command: f.command ?? undefined });
}

/** The whole pipeline: discover → expected → observed → compare → report. */
export async function runProbe(req: ProbeRequest, deps: ProbeDeps, signal: AbortSignal = new AbortController().signal): Promise<RunReport> {
  const startedAt = new Date();
  const t0 = performance.now();
  const runSignal = req.deadlineMs ? AbortSignal.any([signal, AbortSignal.timeout(req.deadlineMs)]) : signal;
  deps.bindRun?.(runSignal);
  const deadlineMs = req.deadlineMs ?? 0;
  const tell = (event: ProgressEvent): void => {
    try {
      deps.progress?.(event);
    } catch {
      // Progress is for the eyes only; it never changes a run.
    }
  };
  tell({ phase: 'listing' });
  // The last bound on the run: whatever a stage does, every item has a result DEADLINE_GRACE_MS after the deadline.
  const discovery = await settleBy(
    discover(req, deps.inventory, runSignal).catch((error: unknown): Discovery => ({ items: [unreadableScope(req, error)], skipped: 0 })),
    runSignal,
    DEADLINE_GRACE_MS,
    () => ({ items: undiscovered(req), skipped: 0 }),
  );
  const discoverMs = since(t0);
  const cache = new ReadCache();
  // A management group's subscriptions, resolved by discovery, scope the zone and address-owner lookups too.
  const scoped: ProbeRequest = discovery.subscriptions && req.subscriptions.length === 0 ? { ...req, subscriptions: discovery.subscriptions } : req;
  const gate = req.azureDns ? new AzureDnsGate(req.azureDns) : undefined;
  const total = discovery.items.length;
  let done = 0;
  tell({ phase: 'probing', done, total });
  const finished = new Array<VaultResult | undefined>(discovery.items.length);
  const all = mapLimit(discovery.items, req.concurrency, async (item, i) => {
    if (runSignal.aborted) {
      tell({ phase: 'probing', done: ++done, total });
      return (finished[i] = deadlineResult(item, deadlineMs, undefined));
    }
    const r = await probeOne(item, scoped, deps, cache, runSignal, gate);
    tell({ phase: 'probing', done: ++done, total });
    return (finished[i] = runSignal.aborted && !signal.aborted ? deadlineResult(item, deadlineMs, r) : r);
  });
  const results = await settleBy(all, runSignal, DEADLINE_GRACE_MS, () => discovery.items.map((item, i) => finished[i] ?? deadlineResult(item, deadlineMs, undefined)));
  tell({ phase: 'reporting' });
  const inventory = deps.inventory.describe?.();
  return {
    location: req.location,
    runId: randomUUID(),
    startedAt: startedAt.toISOString(),
    durationMs: since(t0),
    summary: summarize(results, discovery.skipped),
    ...(gate ? { azureDns: gate.summary() } : {}),
    ...(inventory ? { inventory: { source: inventory.source, fromCache: [...inventory.fromCache] } } : {}),
    results: results.map((r) => ({ ...r, timings: { discoverMs, ...r.timings } })),
  };
}
