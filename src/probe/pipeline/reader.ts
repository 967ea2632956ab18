import { withTimeout } from '../concurrency';
import { InventoryError, type Inventory } from '../inventory';
import { memoize } from '../memoize';
import type {
  AddressOwner,
  EffectiveConnectivityRecord,
  ForwardingRulesetRecord,
  InboundEndpointRecord,
  NetworkInterfaceRecord,
  PrivateDnsZoneRecord,
  PrivateEndpointRecord,
  VaultRecord,
  VirtualHubRecord,
  VirtualNetworkRecord,
  ZoneGroupRecord,
} from '../types';

/**
 * The budget of one inventory read. A read can be a paged list (thousands of vaults are tens of pages), throttled
 * and retried, and the adapters bound each of its requests by the step timeout; this only stops a read that keeps
 * going, well inside the run's deadline.
 */
export function inventoryBudget(timeoutMs: number): number {
  return Math.max(timeoutMs * 12, 60_000);
}

/**
 * Every inventory read of a run goes through here: each runs under the run's signal and its own budget. A read
 * shared by several vaults (an endpoint, a NIC, a zone) is started once and belongs to no caller, so one caller
 * giving up never cancels it for the others; a failed shared read is kept, and reported by each vault that needs it.
 */
export class BudgetedReader {
  private readonly memo = memoize<Promise<unknown>>();

  constructor(
    readonly inventory: Inventory,
    private readonly signal: AbortSignal,
    readonly budgetMs: number,
  ) {}

  /** One read, not shared. */
  read<T>(step: (inventory: Inventory, signal: AbortSignal) => Promise<T>): Promise<T> {
    return withTimeout(this.signal, this.budgetMs, (s) => step(this.inventory, s));
  }

  /** A read made at most once per key (case-insensitive) in this reader's life. */
  shared<T>(key: string, step: (inventory: Inventory, signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.memo(key.toLowerCase(), () => this.read(step)) as Promise<T>;
  }

  scopeSubscriptions(): Promise<string[]> {
    return this.read(async (inv, s) => (await inv.scopeSubscriptions?.(s)) ?? []);
  }

  vaults(subscriptionId: string): Promise<VaultRecord[]> {
    return this.read((inv, s) => inv.listVaults(subscriptionId, s));
  }

  vault(ref: { subscriptionId: string; resourceGroup: string; name: string }): Promise<VaultRecord> {
    return this.read((inv, s) => inv.getVault(ref, s));
  }

  endpoint(id: string): Promise<PrivateEndpointRecord> {
    return this.shared(`pe ${id}`, (inv, s) => inv.getPrivateEndpoint(id, s));
  }

  nic(id: string): Promise<NetworkInterfaceRecord> {
    return this.shared(`nic ${id}`, (inv, s) => inv.getNetworkInterface(id, s));
  }

  /** Not shared: zone groups are read per endpoint, by the one vault whose drift asked for them. */
  zoneGroups(privateEndpointId: string): Promise<ZoneGroupRecord[]> {
    return this.read((inv, s) => (inv.listZoneGroups ? inv.listZoneGroups(privateEndpointId, s) : Promise.resolve([])));
  }

  zone(id: string): Promise<PrivateDnsZoneRecord> {
    const read = this.inventory.getPrivateDnsZone?.bind(this.inventory);
    if (!read)
      return Promise.reject(
        new InventoryError('no private DNS reader', 'get private DNS zone', id, undefined, 'NotSupported'),
      );
    return this.shared(`zone ${id}`, (_inv, s) => read(id, s));
  }

  zoneList(subscriptionId: string, names: readonly string[]): Promise<PrivateDnsZoneRecord[]> {
    const read = this.inventory.listPrivateDnsZones?.bind(this.inventory);
    if (!read) return Promise.resolve([]);
    return this.shared(`zones ${subscriptionId}/${names.join(',')}`, (_inv, s) => read(subscriptionId, names, s));
  }

  vnet(id: string): Promise<VirtualNetworkRecord> {
    const read = this.inventory.getVirtualNetwork?.bind(this.inventory);
    if (!read)
      return Promise.reject(
        new InventoryError('no virtual network reader', 'get virtual network', id, undefined, 'NotSupported'),
      );
    return this.shared(`vnet ${id}`, (_inv, s) => read(id, s));
  }

  /** The forwarding rulesets linked to the VNet; empty when the inventory cannot read them. */
  rulesets(vnetId: string): Promise<ForwardingRulesetRecord[]> {
    const read = this.inventory.listForwardingRulesets?.bind(this.inventory);
    if (!read) return Promise.resolve([]);
    return this.shared(`rulesets ${vnetId}`, (_inv, s) => read(vnetId, s));
  }

  /** The DNS Private Resolvers' inbound endpoints in the subscriptions; empty when the inventory cannot read them. */
  inbound(subscriptionIds: readonly string[]): Promise<InboundEndpointRecord[]> {
    const read = this.inventory.listInboundEndpoints?.bind(this.inventory);
    if (!read || subscriptionIds.length === 0) return Promise.resolve([]);
    return this.shared(`inbound ${[...subscriptionIds].sort().join(',')}`, (_inv, s) => read(subscriptionIds, s));
  }

  /** The subscription's Virtual WAN hubs with their VNet connections: read once per run. */
  hubs(subscriptionId: string): Promise<VirtualHubRecord[]> {
    return this.shared(`hubs ${subscriptionId}`, (inv, s) => inv.listVirtualHubs(subscriptionId, s));
  }

  /** The AVNM connectivity configurations in effect for a VNet: read once per run. */
  effectiveConnectivity(vnetId: string): Promise<EffectiveConnectivityRecord[]> {
    return this.shared(`avnm ${vnetId}`, (inv, s) => inv.listEffectiveConnectivityConfigurations(vnetId, s));
  }

  /** Undefined when the inventory cannot look addresses up, or no endpoint NIC holds the address. */
  addressOwner(address: string, subscriptionIds: readonly string[]): Promise<AddressOwner | undefined> {
    return this.read(async (inv, s) =>
      inv.findAddressOwner ? inv.findAddressOwner(address, subscriptionIds, s) : undefined,
    );
  }
}
