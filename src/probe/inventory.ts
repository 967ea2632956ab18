import { parseArmId } from './names';
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

/**
 * Where the expected state comes from. The ARM adapter implements it with per-resource reads; a batched
 * implementation (one list per type per subscription) can replace it without touching the pipeline.
 * Every method is required. Methods throw `InventoryError` for failures the run should report; a read an
 * inventory does not make at all answers `undefined` where the type allows it ("not read": the fact stays unknown),
 * which is never the same as `[]` ("read: there are none").
 */
export interface Inventory {
  /** Every vault of the subscription, with its private endpoint connections. */
  listVaults(subscriptionId: string, signal: AbortSignal): Promise<VaultRecord[]>;
  getVault(
    ref: { subscriptionId: string; resourceGroup: string; name: string },
    signal: AbortSignal,
  ): Promise<VaultRecord>;
  getPrivateEndpoint(id: string, signal: AbortSignal): Promise<PrivateEndpointRecord>;
  getNetworkInterface(id: string, signal: AbortSignal): Promise<NetworkInterfaceRecord>;
  /** Private DNS: the zone with its A record sets and links; the subscription's zones of the given names. */
  getPrivateDnsZone(id: string, signal: AbortSignal): Promise<PrivateDnsZoneRecord>;
  listPrivateDnsZones(
    subscriptionId: string,
    names: readonly string[],
    signal: AbortSignal,
  ): Promise<PrivateDnsZoneRecord[]>;
  /**
   * The endpoint's DNS zone groups. `[]` is a fact (ZONE_GROUP_MISSING reports it); `undefined`: not read, the
   * endpoint's groups stay unknown and nothing is reported about them.
   */
  listZoneGroups(privateEndpointId: string, signal: AbortSignal): Promise<ZoneGroupRecord[] | undefined>;
  getVirtualNetwork(id: string, signal: AbortSignal): Promise<VirtualNetworkRecord>;
  /** The DNS forwarding rulesets linked to a VNet, each with its rules and VNet links (DNS Private Resolver). */
  listForwardingRulesets(vnetId: string, signal: AbortSignal): Promise<ForwardingRulesetRecord[]>;
  /** The inbound endpoints of the DNS Private Resolvers in the subscriptions, each with its resolver's VNet. */
  listInboundEndpoints(subscriptionIds: readonly string[], signal: AbortSignal): Promise<InboundEndpointRecord[]>;
  /** The Virtual WAN hubs of the subscription, each with its VNet connections and what its WAN says (issue 10). */
  listVirtualHubs(subscriptionId: string, signal: AbortSignal): Promise<VirtualHubRecord[]>;
  /** The AVNM connectivity configurations in effect for a VNet, every page (issue 10). */
  listEffectiveConnectivityConfigurations(vnetId: string, signal: AbortSignal): Promise<EffectiveConnectivityRecord[]>;
  /** issue 20: a route table of the probe's subnet, with its routes. */
  getRouteTable(id: string, signal: AbortSignal): Promise<RouteTableRecord>;
  /** issue 20: the resource associations of every network security perimeter of the subscription. */
  listPerimeterAssociations(subscriptionId: string, signal: AbortSignal): Promise<PerimeterAssociation[]>;
  /** issue 20: the access rules of a perimeter profile. */
  listPerimeterAccessRules(profileId: string, signal: AbortSignal): Promise<PerimeterAccessRule[]>;
  /** The private endpoint NIC holding `address`, among the subscriptions' lists; undefined when none does. */
  findAddressOwner(
    address: string,
    subscriptionIds: readonly string[],
    signal: AbortSignal,
  ): Promise<AddressOwner | undefined>;
  /**
   * The subscriptions of a scope given otherwise (a management group, or every readable subscription), for a
   * request that names none; undefined when the inventory has no scope of its own (the request's is the scope).
   */
  scopeSubscriptions(signal: AbortSignal): Promise<string[] | undefined>;
  /** Where the state came from, for the report: the source, and the lists served from an earlier run. */
  describe(): InventoryDescription;
}

/** The report's account of an inventory: its name, and the lists it served from an earlier run. */
export interface InventoryDescription {
  readonly source: string;
  readonly fromCache: readonly { subscriptionId: string; kind: string; ageMs: number; reason: string }[];
}

/** A failed inventory read, with what ARM said. */
export class InventoryError extends Error {
  override readonly name = 'InventoryError';
  constructor(
    message: string,
    readonly operation: string,
    readonly resourceId: string | undefined,
    readonly statusCode: number | undefined,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** The parts of an ARM ID a read needs; an ID that is none fails the read with InvalidResourceId. */
export function readableId(
  id: string,
  operation: string,
): { subscriptionId: string; resourceGroup: string; name: string } {
  const p = parseArmId(id);
  if (!p) throw new InventoryError(`"${id}" is not an ARM resource ID`, operation, id, undefined, 'InvalidResourceId');
  return p;
}
