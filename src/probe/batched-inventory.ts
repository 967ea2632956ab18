import { findAddressOwner } from './address-owner';
import { InventoryError, readableId, type Inventory } from './inventory';
import { memoize, sharedReads } from './memoize';
import type {
  AddressOwner,
  EffectiveConnectivityRecord,
  ForwardingRulesetRecord,
  InboundEndpointRecord,
  NetworkInterfaceRecord,
  PerimeterAccessRule,
  PerimeterAssociation,
  PrivateDnsZoneRecord,
  PrivateEndpointRecord,
  VaultRecord,
  RouteTableRecord,
  VirtualHubRecord,
  VirtualNetworkRecord,
  ZoneGroupRecord,
} from './types';

/** List reads, one per resource type and subscription: what the batched inventory is built from. */
export interface SubscriptionLists {
  listVaults(subscriptionId: string, signal: AbortSignal): Promise<VaultRecord[]>;
  listPrivateEndpoints(subscriptionId: string, signal: AbortSignal): Promise<PrivateEndpointRecord[]>;
  listNetworkInterfaces(subscriptionId: string, signal: AbortSignal): Promise<NetworkInterfaceRecord[]>;
  /**
   * For sources whose scope is not a list of subscriptions (a management group): the subscriptions it covers;
   * undefined when the source has no scope of its own.
   */
  scopeSubscriptions(signal: AbortSignal): Promise<string[] | undefined>;
}

export type ListKind = 'vaults' | 'privateEndpoints' | 'networkInterfaces' | 'privateDnsZones';

/** A list served from an earlier run because this run's read failed. */
export interface CacheUse {
  readonly subscriptionId: string;
  readonly kind: ListKind;
  readonly ageMs: number;
  readonly reason: string;
}

/** The last good list of each kind and subscription; lives as long as the process (across timer runs). */
export class SnapshotCache {
  private readonly entries = new Map<string, { at: number; value: readonly unknown[] }>();

  constructor(readonly maxAgeMs: number = 60 * 60 * 1000) {}

  put(kind: ListKind, subscriptionId: string, value: readonly unknown[], at: number): void {
    this.entries.set(`${kind}/${subscriptionId.toLowerCase()}`, { at, value });
  }

  get(kind: ListKind, subscriptionId: string, now: number): { at: number; value: readonly unknown[] } | undefined {
    const e = this.entries.get(`${kind}/${subscriptionId.toLowerCase()}`);
    return e && now - e.at <= this.maxAgeMs ? e : undefined;
  }
}

/** Throttling and transient failures, where yesterday's list beats no list; a 403 or 404 is a fact to report. */
function cacheable(error: unknown): boolean {
  if (!(error instanceof InventoryError))
    return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
  return error.statusCode === undefined || error.statusCode === 429 || error.statusCode >= 500;
}

/**
 * The expected state from a handful of list calls: each type is listed once per subscription per run and joined
 * in memory by resource ID (case-insensitively). A single vault, and an item a list did not return (a NIC created
 * after the list was read), are read one by one through `single`.
 */
export class BatchedInventory implements Inventory {
  readonly cacheUses: CacheUse[] = [];
  private readonly lists = sharedReads<readonly unknown[]>();
  private readonly indexes = memoize<Promise<Map<string, unknown>>>();

  constructor(
    private readonly sourceName: string,
    private readonly source: SubscriptionLists,
    private readonly single: SingleReader,
    private readonly cache?: SnapshotCache,
    private readonly now: () => number = Date.now,
  ) {}

  scopeSubscriptions(signal: AbortSignal): Promise<string[] | undefined> {
    return this.source.scopeSubscriptions(signal);
  }

  describe(): { source: string; fromCache: readonly CacheUse[] } {
    return { source: this.sourceName, fromCache: this.cacheUses };
  }

  /** A list read once per run, shared by every caller, and never cancelled by one of them alone. */
  private list<T>(
    kind: ListKind,
    subscriptionId: string,
    signal: AbortSignal,
    read: (signal: AbortSignal) => Promise<T[]>,
    variant = '',
  ): Promise<readonly T[]> {
    const key = `${kind}${variant}/${subscriptionId.toLowerCase()}`;
    return this.lists(key, signal, (shared) =>
      read(shared).then(
        (value) => {
          this.cache?.put(kind, `${subscriptionId}${variant}`, value, this.now());
          return value;
        },
        (error: unknown) => {
          const hit = cacheable(error) ? this.cache?.get(kind, `${subscriptionId}${variant}`, this.now()) : undefined;
          if (!hit) throw error;
          const reason =
            error instanceof InventoryError
              ? `${error.statusCode ?? ''} ${error.code ?? error.message}`.trim()
              : 'timeout';
          this.cacheUses.push({ subscriptionId, kind, ageMs: this.now() - hit.at, reason });
          return hit.value;
        },
      ),
    ) as Promise<readonly T[]>;
  }

  /** The list by lower-cased ID. Every caller passes the list it joined, so each counts as waiting for the read. */
  private index<T extends { id: string }>(
    kind: ListKind,
    subscriptionId: string,
    list: Promise<readonly T[]>,
  ): Promise<Map<string, T>> {
    const key = `${kind}/${subscriptionId.toLowerCase()}`;
    return this.indexes(key, () =>
      list.then((items) => new Map<string, unknown>(items.map((i) => [i.id.toLowerCase(), i]))),
    ) as Promise<Map<string, T>>;
  }

  listVaults(subscriptionId: string, signal: AbortSignal): Promise<VaultRecord[]> {
    return this.list('vaults', subscriptionId, signal, (s) => this.source.listVaults(subscriptionId, s)).then((v) => [
      ...v,
    ]);
  }

  getVault(
    ref: { subscriptionId: string; resourceGroup: string; name: string },
    signal: AbortSignal,
  ): Promise<VaultRecord> {
    return this.single.getVault(ref, signal);
  }

  async getPrivateEndpoint(id: string, signal: AbortSignal): Promise<PrivateEndpointRecord> {
    const sub = subscriptionOf(id, 'get private endpoint');
    const index = await this.index(
      'privateEndpoints',
      sub,
      this.list('privateEndpoints', sub, signal, (s) => this.source.listPrivateEndpoints(sub, s)),
    );
    return index.get(id.toLowerCase()) ?? this.single.getPrivateEndpoint(id, signal);
  }

  getPrivateDnsZone(id: string, signal: AbortSignal): Promise<PrivateDnsZoneRecord> {
    return this.single.getPrivateDnsZone(id, signal);
  }

  listPrivateDnsZones(
    subscriptionId: string,
    names: readonly string[],
    signal: AbortSignal,
  ): Promise<PrivateDnsZoneRecord[]> {
    return this.list(
      'privateDnsZones',
      subscriptionId,
      signal,
      (s) => this.single.listPrivateDnsZones(subscriptionId, names, s),
      `:${names.join(',')}`,
    ).then((z) => [...z]);
  }

  listZoneGroups(privateEndpointId: string, signal: AbortSignal): Promise<ZoneGroupRecord[] | undefined> {
    return this.single.listZoneGroups(privateEndpointId, signal);
  }

  getVirtualNetwork(id: string, signal: AbortSignal): Promise<VirtualNetworkRecord> {
    return this.single.getVirtualNetwork(id, signal);
  }

  listForwardingRulesets(vnetId: string, signal: AbortSignal): Promise<ForwardingRulesetRecord[]> {
    return this.single.listForwardingRulesets(vnetId, signal);
  }

  listInboundEndpoints(subscriptionIds: readonly string[], signal: AbortSignal): Promise<InboundEndpointRecord[]> {
    return this.single.listInboundEndpoints(subscriptionIds, signal);
  }

  /** Few and per site: read one by one, not batched. */
  listVirtualHubs(subscriptionId: string, signal: AbortSignal): Promise<VirtualHubRecord[]> {
    return this.single.listVirtualHubs(subscriptionId, signal);
  }

  listEffectiveConnectivityConfigurations(vnetId: string, signal: AbortSignal): Promise<EffectiveConnectivityRecord[]> {
    return this.single.listEffectiveConnectivityConfigurations(vnetId, signal);
  }

  /** issue 20: per site and per vault, read one by one. */
  getRouteTable(id: string, signal: AbortSignal): Promise<RouteTableRecord> {
    return this.single.getRouteTable(id, signal);
  }

  listPerimeterAssociations(subscriptionId: string, signal: AbortSignal): Promise<PerimeterAssociation[]> {
    return this.single.listPerimeterAssociations(subscriptionId, signal);
  }

  listPerimeterAccessRules(profileId: string, signal: AbortSignal): Promise<PerimeterAccessRule[]> {
    return this.single.listPerimeterAccessRules(profileId, signal);
  }

  findAddressOwner(
    address: string,
    subscriptionIds: readonly string[],
    signal: AbortSignal,
  ): Promise<AddressOwner | undefined> {
    return findAddressOwner(address, subscriptionIds, {
      nics: (sub) => this.list('networkInterfaces', sub, signal, (s) => this.source.listNetworkInterfaces(sub, s)),
      endpoints: (sub) => this.list('privateEndpoints', sub, signal, (s) => this.source.listPrivateEndpoints(sub, s)),
    });
  }

  async getNetworkInterface(id: string, signal: AbortSignal): Promise<NetworkInterfaceRecord> {
    const sub = subscriptionOf(id, 'get network interface');
    const index = await this.index(
      'networkInterfaces',
      sub,
      this.list('networkInterfaces', sub, signal, (s) => this.source.listNetworkInterfaces(sub, s)),
    );
    return index.get(id.toLowerCase()) ?? this.single.getNetworkInterface(id, signal);
  }
}

/**
 * The per-resource reads the batched inventory passes through: all but the vault list (which it batches), the
 * address-owner lookup (which it answers from its own lists), the scope and the description (which are its own).
 */
type SingleReader = Omit<Inventory, 'listVaults' | 'findAddressOwner' | 'scopeSubscriptions' | 'describe'>;

function subscriptionOf(id: string, operation: string): string {
  return readableId(id, operation).subscriptionId;
}

// Where it has always been imported from.
export { findAddressOwner };
