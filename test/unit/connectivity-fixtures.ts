import { connectivityReach } from '../../src/probe/connectivity';
import type {
  ConnectivityState,
  EffectiveConnectivityRecord,
  HubConnectionRecord,
  VirtualHubRecord,
} from '../../src/probe/types';

/**
 * Virtual WAN and AVNM as read (issue 10), for connectivity.test.ts (via and lenient) and connectivity-basis.test.ts
 * (the basis in words): the probe's VNet SITE, the endpoint VNet B, hubs of one WAN, and AVNM configurations.
 */
export const SUB = '33333333-3333-3333-3333-333333333333';
export const vnet = (n: string): string =>
  `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/${n}`;
export const hubId = (n: string): string =>
  `/subscriptions/${SUB}/resourceGroups/conn/providers/Microsoft.Network/virtualHubs/${n}`;
export const WAN = `/subscriptions/${SUB}/resourceGroups/conn/providers/Microsoft.Network/virtualWans/wan1`;
export const SITE = vnet('spoke-a');
export const B = vnet('spoke-b');

export const conn = (hub: string, v: string, o: Partial<HubConnectionRecord> = {}): HubConnectionRecord => ({
  id: `${hubId(hub)}/hubVirtualNetworkConnections/c-${v.split('/').pop() ?? ''}`,
  remoteVirtualNetworkId: v,
  provisioningState: 'Succeeded',
  associatedRouteTableId: `${hubId(hub)}/hubRouteTables/defaultRouteTable`,
  propagatedRouteTableIds: [`${hubId(hub)}/hubRouteTables/defaultRouteTable`],
  propagatedLabels: ['default'],
  ...o,
});
export const hub = (name: string, vnets: readonly string[], o: Partial<VirtualHubRecord> = {}): VirtualHubRecord => ({
  id: hubId(name),
  location: 'westeurope',
  virtualWanId: WAN,
  wanType: 'Standard',
  wanHubIds: [hubId('hub-weu'), hubId('hub-neu')],
  connections: vnets.map((v) => conn(name, v)),
  ...o,
});
export const wan = (...hubs: VirtualHubRecord[]): ConnectivityState => ({
  virtualWan: [{ subscriptionId: SUB, hubs: { ok: true, value: hubs } }],
});
export const DENIED = {
  operation: 'list',
  resourceId: undefined,
  statusCode: 403,
  code: 'AuthorizationFailed',
  message: 'no',
};

export const reach = (state: ConnectivityState, target = B, location = 'westeurope') =>
  connectivityReach({ id: SITE, location }, target, state);

export const NM = `/subscriptions/${SUB}/resourceGroups/conn/providers/Microsoft.Network/networkManagers/nm`;
export const group = (n: string, segment = 'networkGroups'): string => `${NM}/${segment}/${n}`;
export const config = (
  name: string,
  o: Partial<EffectiveConnectivityRecord> & { member?: readonly string[] } = {},
): EffectiveConnectivityRecord => ({
  id: `${NM}/connectivityConfigurations/${name}`,
  topology: 'Mesh',
  isGlobal: false,
  hubIds: [],
  memberGroupIds: (o.member ?? ['g1']).map((g) => group(g)),
  groups: [
    { networkGroupId: group('g1'), directlyConnected: false, isGlobal: false },
    { networkGroupId: group('g2'), directlyConnected: false, isGlobal: false },
  ],
  ...o,
});
export const avnm = (
  site: readonly EffectiveConnectivityRecord[],
  other: readonly EffectiveConnectivityRecord[] | 'denied',
  /** null: the region could not be read. */
  location: string | null = 'westeurope',
): ConnectivityState => ({
  networkManager: {
    site: { ok: true, value: site },
    vnets: {
      [B.toLowerCase()]: {
        configs: other === 'denied' ? { ok: false, error: DENIED } : { ok: true, value: other },
        location: location ?? undefined,
      },
    },
  },
});
export const spokes = {
  topology: 'HubAndSpoke',
  groups: [{ networkGroupId: group('g1'), directlyConnected: true, isGlobal: false }],
} as const;
