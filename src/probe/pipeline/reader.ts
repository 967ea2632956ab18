import { withTimeout } from '../concurrency';
import type { Inventory } from '../inventory';
import { memoize } from '../memoize';
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

  /** Undefined when the inventory has no scope of its own. */
  scopeSubscriptions(): Promise<string[] | undefined> {
    return this.read((inv, s) => inv.scopeSubscriptions(s));
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

  /** Not shared: zone groups are read per endpoint, by the one vault whose drift asked for them. Undefined: not read. */
  zoneGroups(privateEndpointId: string): Promise<ZoneGroupRecord[] | undefined> {
    return this.read((inv, s) => inv.listZoneGroups(privateEndpointId, s));
  }

  zone(id: string): Promise<PrivateDnsZoneRecord> {
    return this.shared(`zone ${id}`, (inv, s) => inv.getPrivateDnsZone(id, s));
  }

  zoneList(subscriptionId: string, names: readonly string[]): Promise<PrivateDnsZoneRecord[]> {
    return this.shared(`zones ${subscriptionId}/${names.join(',')}`, (inv, s) =>
      inv.listPrivateDnsZones(subscriptionId, names, s),
    );
  }

  vnet(id: string): Promise<VirtualNetworkRecord> {
    return this.shared(`vnet ${id}`, (inv, s) => inv.getVirtualNetwork(id, s));
  }

  /** The forwarding rulesets linked to the VNet. */
  rulesets(vnetId: string): Promise<ForwardingRulesetRecord[]> {
    return this.shared(`rulesets ${vnetId}`, (inv, s) => inv.listForwardingRulesets(vnetId, s));
  }

  /** The DNS Private Resolvers' inbound endpoints in the subscriptions. */
  inbound(subscriptionIds: readonly string[]): Promise<InboundEndpointRecord[]> {
    if (subscriptionIds.length === 0) return Promise.resolve([]);
    return this.shared(`inbound ${[...subscriptionIds].sort().join(',')}`, (inv, s) =>
      inv.listInboundEndpoints(subscriptionIds, s),
    );
  }

  /** The subscription's Virtual WAN hubs with their VNet connections: read once per run. */
  hubs(subscriptionId: string): Promise<VirtualHubRecord[]> {
    return this.shared(`hubs ${subscriptionId}`, (inv, s) => inv.listVirtualHubs(subscriptionId, s));
  }

  /** The AVNM connectivity configurations in effect for a VNet: read once per run. */
  effectiveConnectivity(vnetId: string): Promise<EffectiveConnectivityRecord[]> {
    return this.shared(`avnm ${vnetId}`, (inv, s) => inv.listEffectiveConnectivityConfigurations(vnetId, s));
  }

  /** issue 20: a route table of the probe's subnet: read once per run. */
  routeTable(id: string): Promise<RouteTableRecord> {
    return this.shared(`route table ${id}`, (inv, s) => inv.getRouteTable(id, s));
  }

  /** issue 20: the perimeter associations of a subscription: read once per run. */
  perimeterAssociations(subscriptionId: string): Promise<PerimeterAssociation[]> {
    return this.shared(`nsp ${subscriptionId}`, (inv, s) => inv.listPerimeterAssociations(subscriptionId, s));
  }

  /** issue 20: a perimeter profile's access rules: read once per run. */
  perimeterRules(profileId: string): Promise<PerimeterAccessRule[]> {
    return this.shared(`nsp rules ${profileId}`, (inv, s) => inv.listPerimeterAccessRules(profileId, s));
  }

  /** Undefined when no endpoint NIC holds the address. */
  addressOwner(address: string, subscriptionIds: readonly string[]): Promise<AddressOwner | undefined> {
    return this.read((inv, s) => inv.findAddressOwner(address, subscriptionIds, s));
  }
}
