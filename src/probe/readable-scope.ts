import { InventoryError, type Inventory, type InventoryDescription } from './inventory';
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

/** A subscription of `GET /subscriptions`. */
export interface SubscriptionRecord {
  readonly subscriptionId: string;
  readonly displayName: string;
  /** Enabled, Warned, PastDue, Disabled or Deleted. */
  readonly state: string;
  readonly tenantId: string | undefined;
}

/**
 * States whose resources run: Warned and PastDue subscriptions still serve traffic. A Disabled or Deleted
 * subscription's resources are stopped, so probing them would only raise alarms about what no client uses.
 */
export const PROBED_STATES: readonly string[] = ['Enabled', 'Warned', 'PastDue'];

export type ScopeInventoryKind = 'batched' | 'resource-graph';

/**
 * ARM requests each inventory needs for `n` subscriptions, counting one page per list. batched lists vaults,
 * Managed HSMs, private endpoints, NICs and privatelink zones in each subscription (5n); resource-graph sends its
 * three queries once over all of them and lists privatelink zones per subscription (3 + n).
 */
export function inventoryRequests(kind: ScopeInventoryKind, n: number): number {
  return kind === 'batched' ? 5 * n : n === 0 ? 0 : 3 + n;
}

export interface ScopeChoice {
  readonly listed: number;
  readonly subscriptions: readonly string[];
  /** Listed but not probed, by state: { Disabled: 2 }. */
  readonly skipped: Readonly<Record<string, number>>;
  readonly inventory: ScopeInventoryKind;
  readonly requests: Readonly<Record<ScopeInventoryKind, number>>;
}

/** The subscriptions to probe and the cheaper way to read them; ties go to batched (it also sees Managed HSMs). */
export function chooseScope(listed: readonly SubscriptionRecord[], forced?: ScopeInventoryKind): ScopeChoice {
  const probed = listed.filter((s) => PROBED_STATES.includes(s.state));
  const skipped: Record<string, number> = {};
  for (const s of listed) if (!PROBED_STATES.includes(s.state)) skipped[s.state] = (skipped[s.state] ?? 0) + 1;
  const n = probed.length;
  const requests = {
    batched: inventoryRequests('batched', n),
    'resource-graph': inventoryRequests('resource-graph', n),
  };
  const inventory = forced ?? (requests['resource-graph'] < requests.batched ? 'resource-graph' : 'batched');
  return {
    listed: listed.length,
    subscriptions: [...new Set(probed.map((s) => s.subscriptionId))],
    skipped,
    inventory,
    requests,
  };
}

/**
 * The inventory for "everything this identity can read": the run's first step lists the readable subscriptions
 * (through the pipeline's scopeSubscriptions, so a failure becomes a finding), picks the cheaper inventory for that
 * many, and every later read goes to it.
 */
export class ReadableScopeInventory implements Inventory {
  private delegate: Inventory | undefined;

  constructor(
    private readonly lister: { listSubscriptions(signal: AbortSignal): Promise<SubscriptionRecord[]> },
    private readonly make: (kind: ScopeInventoryKind, subscriptions: readonly string[]) => Inventory,
    private readonly onScope: (choice: ScopeChoice) => void = () => undefined,
    private readonly forced?: ScopeInventoryKind,
  ) {}

  async scopeSubscriptions(signal: AbortSignal): Promise<string[]> {
    const choice = chooseScope(await this.lister.listSubscriptions(signal), this.forced);
    this.delegate = this.make(choice.inventory, choice.subscriptions);
    this.onScope(choice);
    return [...choice.subscriptions];
  }

  private inner(): Inventory {
    if (!this.delegate)
      throw new InventoryError(
        'the readable subscriptions were not listed yet',
        'read inventory',
        undefined,
        undefined,
        'NoScope',
      );
    return this.delegate;
  }

  async listVaults(subscriptionId: string, signal: AbortSignal): Promise<VaultRecord[]> {
    return this.inner().listVaults(subscriptionId, signal);
  }

  async getVault(
    ref: { subscriptionId: string; resourceGroup: string; name: string },
    signal: AbortSignal,
  ): Promise<VaultRecord> {
    return this.inner().getVault(ref, signal);
  }

  async getPrivateEndpoint(id: string, signal: AbortSignal): Promise<PrivateEndpointRecord> {
    return this.inner().getPrivateEndpoint(id, signal);
  }

  async getNetworkInterface(id: string, signal: AbortSignal): Promise<NetworkInterfaceRecord> {
    return this.inner().getNetworkInterface(id, signal);
  }

  async getPrivateDnsZone(id: string, signal: AbortSignal): Promise<PrivateDnsZoneRecord> {
    return this.inner().getPrivateDnsZone(id, signal);
  }

  async listPrivateDnsZones(
    subscriptionId: string,
    names: readonly string[],
    signal: AbortSignal,
  ): Promise<PrivateDnsZoneRecord[]> {
    return this.inner().listPrivateDnsZones(subscriptionId, names, signal);
  }

  async listZoneGroups(privateEndpointId: string, signal: AbortSignal): Promise<ZoneGroupRecord[] | undefined> {
    return this.inner().listZoneGroups(privateEndpointId, signal);
  }

  async getVirtualNetwork(id: string, signal: AbortSignal): Promise<VirtualNetworkRecord> {
    return this.inner().getVirtualNetwork(id, signal);
  }

  async listForwardingRulesets(vnetId: string, signal: AbortSignal): Promise<ForwardingRulesetRecord[]> {
    return this.inner().listForwardingRulesets(vnetId, signal);
  }

  async listInboundEndpoints(
    subscriptionIds: readonly string[],
    signal: AbortSignal,
  ): Promise<InboundEndpointRecord[]> {
    return this.inner().listInboundEndpoints(subscriptionIds, signal);
  }

  async listVirtualHubs(subscriptionId: string, signal: AbortSignal): Promise<VirtualHubRecord[]> {
    return this.inner().listVirtualHubs(subscriptionId, signal);
  }

  async listEffectiveConnectivityConfigurations(
    vnetId: string,
    signal: AbortSignal,
  ): Promise<EffectiveConnectivityRecord[]> {
    return this.inner().listEffectiveConnectivityConfigurations(vnetId, signal);
  }

  /** issue 20: per site and per vault, read one by one. */
  getRouteTable(id: string, signal: AbortSignal): Promise<RouteTableRecord> {
    return this.inner().getRouteTable(id, signal);
  }

  listPerimeterAssociations(subscriptionId: string, signal: AbortSignal): Promise<PerimeterAssociation[]> {
    return this.inner().listPerimeterAssociations(subscriptionId, signal);
  }

  listPerimeterAccessRules(profileId: string, signal: AbortSignal): Promise<PerimeterAccessRule[]> {
    return this.inner().listPerimeterAccessRules(profileId, signal);
  }

  async findAddressOwner(
    address: string,
    subscriptionIds: readonly string[],
    signal: AbortSignal,
  ): Promise<AddressOwner | undefined> {
    return this.inner().findAddressOwner(address, subscriptionIds, signal);
  }

  describe(): InventoryDescription {
    return this.delegate?.describe() ?? { source: 'readable-subscriptions', fromCache: [] };
  }
}
