import { InventoryError, type Inventory } from '../../src/probe/inventory';

function notHere(operation: string, id: string): Promise<never> {
  return Promise.reject(new InventoryError(`${id} is not in this inventory`, operation, id, 404, 'NotFound'));
}

/**
 * The inventory of an empty world, for a test to spread its own reads over: lists are read and empty (`[]`), a
 * single read answers 404 as ARM does for what does not exist, no address has an owner, there is no scope of its
 * own. Zone groups are the one read whose `[]` is itself a finding (ZONE_GROUP_MISSING), so this fake does not
 * read them (`undefined`): a test that means "this endpoint has no zone group" says so with `[]`.
 */
export function emptyInventory(source = 'fake'): Inventory {
  return {
    listVaults: () => Promise.resolve([]),
    getVault: (ref) =>
      notHere(
        'get vault',
        `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.KeyVault/vaults/${ref.name}`,
      ),
    getPrivateEndpoint: (id) => notHere('get private endpoint', id),
    getNetworkInterface: (id) => notHere('get network interface', id),
    getPrivateDnsZone: (id) => notHere('get private DNS zone', id),
    listPrivateDnsZones: () => Promise.resolve([]),
    listZoneGroups: () => Promise.resolve(undefined),
    getVirtualNetwork: (id) => notHere('get virtual network', id),
    listForwardingRulesets: () => Promise.resolve([]),
    listInboundEndpoints: () => Promise.resolve([]),
    listVirtualHubs: () => Promise.resolve([]),
    listEffectiveConnectivityConfigurations: () => Promise.resolve([]),
    getRouteTable: (id) => notHere('get route table', id),
    listPerimeterAssociations: () => Promise.resolve([]),
    listPerimeterAccessRules: () => Promise.resolve([]),
    findAddressOwner: () => Promise.resolve(undefined),
    scopeSubscriptions: () => Promise.resolve(undefined),
    describe: () => ({ source, fromCache: [] }),
  };
}
