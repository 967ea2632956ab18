import { mapForwardingRuleset, mapInboundEndpoint } from './dns-resolver-mappers';
import { ArmClients, type ArmInventoryOptions } from './arm-clients';
import { guard } from './arm-errors';
import { isRestError } from '@azure/core-rest-pipeline';
import { readableId, type Inventory } from '../probe/inventory';
import { parseArmId } from '../probe/names';
import { findAddressOwner } from '../probe/address-owner';
import { sharedReads } from '../probe/memoize';
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
} from '../probe/types';
import { collectPages } from './arm-http';
import { readList } from './arm-lists';
import { getPrivateDnsZone, listPrivateDnsZones } from './zone-reads';
import { isEndpointNicWire, mapNetworkInterfaceWire, mapPrivateEndpointWire, mapVaultWire } from './arm-wire-mappers';
import { listEffectiveConnectivityConfigurations, listVirtualHubs } from './connectivity-reads';
import { getRouteTable, listPerimeterAccessRules, listPerimeterAssociations } from './site-network-reads';
import {
  mapManagedHsm,
  mapNetworkInterface,
  mapPrivateEndpoint,
  mapVault,
  mapVirtualNetwork,
  mapZoneGroup,
} from './arm-mappers';

export type { ArmInventoryOptions } from './arm-clients';

/** The expected state read resource by resource through the ARM SDKs. */
export class ArmInventory implements Inventory {
  private readonly clients: ArmClients;
  private readonly options: ArmInventoryOptions;
  private readonly origin: string;
  // The address-owner lookups of a run (this inventory lives for one) list each subscription's NICs and endpoints
  // once, however many addresses and vaults ask.
  private readonly nicLists = sharedReads<NetworkInterfaceRecord[]>();
  private readonly endpointLists = sharedReads<PrivateEndpointRecord[]>();

  constructor(options: ArmInventoryOptions) {
    this.clients = new ArmClients(options);
    this.options = options;
    this.origin = this.clients.origin;
  }

  describe(): { source: string; fromCache: readonly never[] } {
    return { source: 'per-vault', fromCache: [] };
  }

  /** Per-resource reads have no scope of their own: the request's subscriptions are the scope. */
  scopeSubscriptions(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  /** The forwarding rulesets linked to the VNet (POST …/listDnsForwardingRulesets), then each one's rules and links. */
  async listForwardingRulesets(vnetId: string, signal: AbortSignal): Promise<ForwardingRulesetRecord[]> {
    return guard('list DNS forwarding rulesets', vnetId, async () => {
      const v = readableId(vnetId, 'list DNS forwarding rulesets');
      const ids: string[] = [];
      for await (const r of this.clients
        .resolver(v.subscriptionId)
        .dnsForwardingRulesets.listByVirtualNetwork(v.resourceGroup, v.name, this.clients.op(signal)))
        if (r.id) ids.push(r.id);
      const out: ForwardingRulesetRecord[] = [];
      for (const id of ids) {
        const p = readableId(id, 'list DNS forwarding rules');
        const client = this.clients.resolver(p.subscriptionId);
        const rules = [];
        for await (const rule of client.forwardingRules.list(p.resourceGroup, p.name, this.clients.op(signal)))
          rules.push(rule);
        const links = [];
        for await (const link of client.virtualNetworkLinks.list(p.resourceGroup, p.name, this.clients.op(signal)))
          links.push(link);
        out.push(mapForwardingRuleset(id, rules, links));
      }
      return out;
    });
  }

  /** Every DNS Private Resolver of the subscriptions, and each one's inbound endpoints. */
  async listInboundEndpoints(
    subscriptionIds: readonly string[],
    signal: AbortSignal,
  ): Promise<InboundEndpointRecord[]> {
    const out: InboundEndpointRecord[] = [];
    for (const sub of subscriptionIds) {
      await guard('list DNS resolvers', `/subscriptions/${sub}`, async () => {
        const client = this.clients.resolver(sub);
        for await (const r of client.dnsResolvers.list(this.clients.op(signal))) {
          const p = parseArmId(r.id ?? '');
          if (!p || !r.virtualNetwork?.id) continue;
          for await (const e of client.inboundEndpoints.list(p.resourceGroup, p.name, this.clients.op(signal)))
            out.push(mapInboundEndpoint(e, r.virtualNetwork.id));
        }
      });
    }
    return out;
  }

  /** Virtual WAN hubs with their VNet connections and WAN (connectivity-reads.ts). */
  listVirtualHubs(subscriptionId: string, signal: AbortSignal): Promise<VirtualHubRecord[]> {
    return listVirtualHubs(this.clients, subscriptionId, signal);
  }

  /** AVNM connectivity configurations in effect for a VNet (connectivity-reads.ts). */
  listEffectiveConnectivityConfigurations(vnetId: string, signal: AbortSignal): Promise<EffectiveConnectivityRecord[]> {
    return listEffectiveConnectivityConfigurations(this.clients, vnetId, signal);
  }

  /** issue 20: route tables and network security perimeters (network-reads.ts). */
  getRouteTable(id: string, signal: AbortSignal): Promise<RouteTableRecord> {
    return getRouteTable(this.clients, id, signal);
  }

  listPerimeterAssociations(subscriptionId: string, signal: AbortSignal): Promise<PerimeterAssociation[]> {
    return listPerimeterAssociations(this.clients, subscriptionId, signal);
  }

  listPerimeterAccessRules(profileId: string, signal: AbortSignal): Promise<PerimeterAccessRule[]> {
    return listPerimeterAccessRules(this.clients, profileId, signal);
  }

  /** The zone, its A record sets and its VNet links: three reads (zone-reads.ts). */
  getPrivateDnsZone(id: string, signal: AbortSignal): Promise<PrivateDnsZoneRecord> {
    return getPrivateDnsZone(this.clients, id, signal);
  }

  /** The subscription's private DNS zones named `names` (case-insensitively), each with records and links. */
  listPrivateDnsZones(
    subscriptionId: string,
    names: readonly string[],
    signal: AbortSignal,
  ): Promise<PrivateDnsZoneRecord[]> {
    return listPrivateDnsZones(this.clients, subscriptionId, names, signal);
  }

  async listZoneGroups(privateEndpointId: string, signal: AbortSignal): Promise<ZoneGroupRecord[]> {
    return guard('list DNS zone groups', privateEndpointId, async () => {
      const p = readableId(privateEndpointId, 'list DNS zone groups');
      const out: ZoneGroupRecord[] = [];
      await collectPages(
        this.clients
          .net(p.subscriptionId)
          .privateDnsZoneGroups.list(p.resourceGroup, p.name, this.clients.op(signal))
          .byPage(),
        this.origin,
        (g) => void out.push(mapZoneGroup(g)),
      );
      return out;
    });
  }

  async getVirtualNetwork(id: string, signal: AbortSignal): Promise<VirtualNetworkRecord> {
    return guard('get virtual network', id, async () => {
      const p = readableId(id, 'get virtual network');
      return mapVirtualNetwork(
        await this.clients.net(p.subscriptionId).virtualNetworks.get(p.resourceGroup, p.name, this.clients.op(signal)),
      );
    });
  }

  /**
   * Per-vault reads list NICs and endpoints only here: when an address drifted and its owner is wanted; each
   * subscription's lists at most once in this inventory's life (one run).
   */
  findAddressOwner(
    address: string,
    subscriptionIds: readonly string[],
    signal: AbortSignal,
  ): Promise<AddressOwner | undefined> {
    return findAddressOwner(address, subscriptionIds, {
      nics: (sub) => this.nicLists(sub.toLowerCase(), signal, (s) => this.listNetworkInterfaces(sub, s)),
      endpoints: (sub) => this.endpointLists(sub.toLowerCase(), signal, (s) => this.listPrivateEndpoints(sub, s)),
    });
  }

  async listVaults(subscriptionId: string, signal: AbortSignal): Promise<VaultRecord[]> {
    return guard('list vaults', `/subscriptions/${subscriptionId}`, async () => {
      const kv = this.clients.kv(subscriptionId);
      const { vaultSuffix, hsmSuffix } = this.options.cloud;
      const out = await readList(
        this.clients.list(kv, signal, (o) => kv.vaults.listBySubscription(o)),
        this.origin,
        (v) => [mapVault(v, vaultSuffix)],
        (row) => [mapVaultWire(row, vaultSuffix)],
      );
      // Managed HSMs go through the same engine; an identity without managedHSMs/read just sees none.
      try {
        out.push(
          ...(await readList(
            this.clients.list(kv, signal, (o) => kv.managedHsms.listBySubscription(o)),
            this.origin,
            (h) => [mapManagedHsm(h, hsmSuffix)],
            (row) => [mapVaultWire(row, hsmSuffix, 'managedHsm')],
          )),
        );
      } catch (error) {
        if (!(isRestError(error) && (error.statusCode === 403 || error.statusCode === 404))) throw error;
      }
      return out;
    });
  }

  /** Every private endpoint of the subscription, paged. */
  async listPrivateEndpoints(subscriptionId: string, signal: AbortSignal): Promise<PrivateEndpointRecord[]> {
    return guard('list private endpoints', `/subscriptions/${subscriptionId}`, async () => {
      const net = this.clients.net(subscriptionId);
      return readList(
        this.clients.list(net, signal, (o) => net.privateEndpoints.listBySubscription(o)),
        this.origin,
        (pe) => [mapPrivateEndpoint(pe)],
        (row) => [mapPrivateEndpointWire(row)],
      );
    });
  }

  /** Every NIC of the subscription, paged; only those of private endpoints are kept. */
  async listNetworkInterfaces(subscriptionId: string, signal: AbortSignal): Promise<NetworkInterfaceRecord[]> {
    return guard('list network interfaces', `/subscriptions/${subscriptionId}`, async () => {
      const net = this.clients.net(subscriptionId);
      return readList(
        this.clients.list(net, signal, (o) => net.networkInterfaces.listAll(o)),
        this.origin,
        (nic) => (nic.privateEndpoint ? [mapNetworkInterface(nic)] : []),
        (row) => (isEndpointNicWire(row) ? [mapNetworkInterfaceWire(row)] : []),
      );
    });
  }

  async getVault(
    ref: { subscriptionId: string; resourceGroup: string; name: string },
    signal: AbortSignal,
  ): Promise<VaultRecord> {
    const id = `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.KeyVault/vaults/${ref.name}`;
    return guard('get vault', id, async () =>
      mapVault(
        await this.clients.kv(ref.subscriptionId).vaults.get(ref.resourceGroup, ref.name, this.clients.op(signal)),
        this.options.cloud.vaultSuffix,
      ),
    );
  }

  async getPrivateEndpoint(id: string, signal: AbortSignal): Promise<PrivateEndpointRecord> {
    return guard('get private endpoint', id, async () => {
      const p = readableId(id, 'get private endpoint');
      return mapPrivateEndpoint(
        await this.clients.net(p.subscriptionId).privateEndpoints.get(p.resourceGroup, p.name, this.clients.op(signal)),
      );
    });
  }

  async getNetworkInterface(id: string, signal: AbortSignal): Promise<NetworkInterfaceRecord> {
    return guard('get network interface', id, async () => {
      const p = readableId(id, 'get network interface');
      return mapNetworkInterface(
        await this.clients
          .net(p.subscriptionId)
          .networkInterfaces.get(p.resourceGroup, p.name, this.clients.op(signal)),
      );
    });
  }
}

// subscriptions.ts reads ARM error bodies through here.
export { armError } from './arm-errors';
