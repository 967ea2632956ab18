import type {
  EffectiveConnectivityConfiguration,
  HubVirtualNetworkConnection,
  VirtualHub,
  VirtualWAN,
} from '@azure/arm-network';
import type { EffectiveConnectivityRecord, HubConnectionRecord, VirtualHubRecord } from '../probe/types';

/** Pure mappers from @azure/arm-network's Virtual WAN and AVNM models to the engine's records (issue 10). */

const ids = (refs: readonly { id?: string }[] | undefined): string[] =>
  (refs ?? []).flatMap((r) => (typeof r.id === 'string' ? [r.id] : []));

/** AVNM's string booleans (`isGlobal: "True"`). */
const isTrue = (v: unknown): boolean => typeof v === 'string' && v.toLowerCase() === 'true';

export function mapHubConnection(c: HubVirtualNetworkConnection): HubConnectionRecord | undefined {
  const remote = c.remoteVirtualNetwork?.id;
  if (!remote) return undefined;
  const routing = c.routingConfiguration;
  return {
    id: c.id ?? '',
    remoteVirtualNetworkId: remote,
    provisioningState: c.provisioningState,
    associatedRouteTableId: routing?.associatedRouteTable?.id,
    propagatedRouteTableIds: ids(routing?.propagatedRouteTables?.ids),
    propagatedLabels: (routing?.propagatedRouteTables?.labels ?? []).filter((l) => typeof l === 'string'),
  };
}

/**
 * A hub with its connections and its WAN (undefined when the WAN could not be read): the WAN's type, else the hub's
 * sku, which follows the WAN's type.
 */
export function mapVirtualHub(
  hub: VirtualHub,
  wan: VirtualWAN | undefined,
  connections: readonly HubVirtualNetworkConnection[],
): VirtualHubRecord {
  return {
    id: hub.id ?? '',
    location: hub.location,
    virtualWanId: hub.virtualWan?.id,
    wanType: wan?.typePropertiesType ?? hub.sku,
    wanHubIds: wan ? ids(wan.virtualHubs) : undefined,
    connections: connections.flatMap((c) => mapHubConnection(c) ?? []),
  };
}

export function mapEffectiveConnectivity(c: EffectiveConnectivityConfiguration): EffectiveConnectivityRecord {
  return {
    id: c.id ?? '',
    topology: c.connectivityTopology,
    isGlobal: isTrue(c.isGlobal),
    hubIds: (c.hubs ?? []).flatMap((h) => (typeof h.resourceId === 'string' ? [h.resourceId] : [])),
    memberGroupIds: ids(c.configurationGroups),
    groups: (c.appliesToGroups ?? []).flatMap((g) =>
      typeof g.networkGroupId === 'string'
        ? [
            {
              networkGroupId: g.networkGroupId,
              directlyConnected: (g.groupConnectivity ?? '').toLowerCase() === 'directlyconnected',
              isGlobal: isTrue(g.isGlobal),
            },
          ]
        : [],
    ),
  };
}
