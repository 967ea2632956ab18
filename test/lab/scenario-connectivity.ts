import type { ArmResource } from './arm-emulator';
import { labVnetId, SUB_APP, type Scenario } from './scenario';

/**
 * issue 10: Virtual WAN hubs and Azure Virtual Network Manager connectivity around the probe's VNet, in wire shape
 * (azure-rest-api-specs, Microsoft.Network stable 2025-05-01: `virtualWan.json` with the examples
 * `VirtualWANGet.json`, `VirtualHubList.json`, `HubVirtualNetworkConnectionList.json`; `networkManagerGroup.json`,
 * `networkManagerConnectivityConfiguration.json`). See test/lab/FACTS.md, Topologies.
 */
export interface ScenarioConnectivity {
  /** The probe VNet's region; default westeurope. */
  readonly probeLocation?: string;
  /** Other lab VNets (rg "network" of the first subscription), by name: address space and region (default westeurope). */
  readonly vnets?: Readonly<
    Record<string, { readonly addressPrefixes: readonly string[]; readonly location?: string }>
  >;
  readonly virtualWan?: {
    readonly type: 'Standard' | 'Basic';
    readonly hubs: readonly {
      readonly name: string;
      readonly location: string;
      readonly addressPrefix: string;
      /** The VNets (by name; `vnet-probe` is the probe's) with a hub virtual network connection to this hub. */
      readonly connections: readonly string[];
      /** Connections (by VNet name) associated with and propagating to a custom route table instead of the default. */
      readonly customRouting?: readonly string[];
    }[];
  };
  readonly networkManager?: {
    readonly configurations: readonly {
      readonly name: string;
      readonly topology: 'Mesh' | 'HubAndSpoke';
      readonly isGlobal?: boolean;
      /** HubAndSpoke: the hub VNet, by name. */
      readonly hub?: string;
      readonly groups: readonly {
        readonly name: string;
        /** Static members, by VNet name. */
        readonly members: readonly string[];
        readonly directlyConnected?: boolean;
        readonly isGlobal?: boolean;
      }[];
    }[];
  };
}

/** The Microsoft-managed subscription of the hubs' own VNets (HV_…), which a customer cannot read. */
const HUB_VNET_SUB = 'e3b0c442-98fc-4c14-9afb-f4c8996fb924';
const ok = { provisioningState: 'Succeeded' };

const sub = (scenario: Scenario): string => scenario.subscriptions?.[0] ?? SUB_APP;
const connectivityRg = (scenario: Scenario): string =>
  `/subscriptions/${sub(scenario)}/resourceGroups/connectivity/providers/Microsoft.Network`;

/** A lab VNet's region: the probe's, a listed VNet's, else westeurope. */
export function vnetLocation(scenario: Scenario, name: string): string {
  const c = scenario.connectivity;
  if (name === 'vnet-probe') return c?.probeLocation ?? 'westeurope';
  return c?.vnets?.[name]?.location ?? 'westeurope';
}

function hubId(scenario: Scenario, name: string): string {
  return `${connectivityRg(scenario)}/virtualHubs/${name}`;
}

/**
 * The peering a hub virtual network connection puts on the spoke: to the hub's own VNet `HV_<hub>_<guid>` in a
 * Microsoft-managed subscription, with the hub's address prefix as its remote address space.
 */
export function hubPeerings(scenario: Scenario, vnet: string): ArmResource[] {
  const vnetId = labVnetId(scenario, vnet);
  return (scenario.connectivity?.virtualWan?.hubs ?? [])
    .filter((h) => h.connections.includes(vnet))
    .map((h) => {
      const guid = `0a1b2c3d-4e5f-4a6b-8c7d-${Buffer.from(h.name).toString('hex').padEnd(12, '0').slice(0, 12)}`;
      const name = `RemoteVnetToHubPeering_${guid}`;
      return {
        id: `${vnetId}/virtualNetworkPeerings/${name}`,
        name,
        properties: {
          provisioningState: 'Succeeded',
          peeringState: 'Connected',
          remoteVirtualNetwork: {
            id: `/subscriptions/${HUB_VNET_SUB}/resourceGroups/RG_${h.name}_${guid}/providers/Microsoft.Network/virtualNetworks/HV_${h.name}_${guid}`,
          },
          remoteAddressSpace: { addressPrefixes: [h.addressPrefix] },
          allowVirtualNetworkAccess: true,
          allowForwardedTraffic: false,
          allowGatewayTransit: false,
          useRemoteGateways: false,
        },
      };
    });
}

function virtualWanResources(scenario: Scenario): ArmResource[] {
  const wan = scenario.connectivity?.virtualWan;
  if (!wan) return [];
  const wanId = `${connectivityRg(scenario)}/virtualWans/wan-lab`;
  const out: ArmResource[] = [
    {
      id: wanId,
      name: 'wan-lab',
      type: 'Microsoft.Network/virtualWANs',
      location: wan.hubs[0]?.location ?? 'westeurope',
      tags: {},
      properties: {
        ...ok,
        disableVpnEncryption: false,
        allowBranchToBranchTraffic: true,
        virtualHubs: wan.hubs.map((h) => ({ id: hubId(scenario, h.name) })),
        vpnSites: [],
        type: wan.type,
      },
    },
  ];
  for (const h of wan.hubs) {
    const id = hubId(scenario, h.name);
    const table = (t: string): { id: string } => ({ id: `${id}/hubRouteTables/${t}` });
    out.push({
      id,
      name: h.name,
      type: 'Microsoft.Network/virtualHubs',
      location: h.location,
      properties: {
        ...ok,
        virtualWan: { id: wanId },
        addressPrefix: h.addressPrefix,
        sku: wan.type,
        routingState: 'Provisioned',
        virtualRouterAsn: 65515,
        virtualHubRouteTableV2s: [],
        allowBranchToBranchTraffic: false,
        hubRoutingPreference: 'ExpressRoute',
      },
    });
    for (const vnet of h.connections) {
      const custom = h.customRouting?.includes(vnet) === true;
      out.push({
        id: `${id}/hubVirtualNetworkConnections/conn-${vnet}`,
        name: `conn-${vnet}`,
        etag: 'W/"1"',
        properties: {
          ...ok,
          remoteVirtualNetwork: { id: labVnetId(scenario, vnet) },
          enableInternetSecurity: true,
          routingConfiguration: custom
            ? {
                associatedRouteTable: table(`rt-${vnet}`),
                propagatedRouteTables: { ids: [table('rt-shared')], labels: ['shared'] },
              }
            : {
                associatedRouteTable: table('defaultRouteTable'),
                propagatedRouteTables: { ids: [table('defaultRouteTable')], labels: ['default'] },
              },
        },
      });
    }
  }
  return out;
}

function networkManagerResources(scenario: Scenario): ArmResource[] {
  const nm = scenario.connectivity?.networkManager;
  if (!nm) return [];
  const nmId = `${connectivityRg(scenario)}/networkManagers/avnm-lab`;
  const out: ArmResource[] = [
    {
      id: nmId,
      name: 'avnm-lab',
      type: 'Microsoft.Network/networkManagers',
      location: 'westeurope',
      properties: {
        ...ok,
        networkManagerScopes: { managementGroups: [], subscriptions: [`/subscriptions/${sub(scenario)}`] },
        networkManagerScopeAccesses: ['Connectivity'],
      },
    },
  ];
  const groupId = (name: string): string => `${nmId}/networkGroups/${name}`;
  const seen = new Set<string>();
  for (const c of nm.configurations) {
    for (const g of c.groups) {
      if (seen.has(g.name)) continue;
      seen.add(g.name);
      out.push({
        id: groupId(g.name),
        name: g.name,
        type: 'Microsoft.Network/networkManagers/networkGroups',
        properties: { ...ok, description: `lab group ${g.name}`, memberType: 'VirtualNetwork' },
      });
      for (const m of g.members)
        out.push({
          id: `${groupId(g.name)}/staticMembers/${m}`,
          name: m,
          type: 'Microsoft.Network/networkManagers/networkGroups/staticMembers',
          properties: { ...ok, resourceId: labVnetId(scenario, m), region: vnetLocation(scenario, m) },
        });
    }
    const flag = (b: boolean | undefined): string => (b ? 'True' : 'False');
    out.push({
      id: `${nmId}/connectivityConfigurations/${c.name}`,
      name: c.name,
      type: 'Microsoft.Network/networkManagers/connectivityConfigurations',
      properties: {
        ...ok,
        description: `lab ${c.topology} configuration`,
        connectivityTopology: c.topology,
        hubs: c.hub
          ? [{ resourceId: labVnetId(scenario, c.hub), resourceType: 'Microsoft.Network/virtualNetworks' }]
          : [],
        isGlobal: flag(c.isGlobal),
        deleteExistingPeering: 'False',
        appliesToGroups: c.groups.map((g) => ({
          networkGroupId: groupId(g.name),
          useHubGateway: 'False',
          groupConnectivity: g.directlyConnected ? 'DirectlyConnected' : 'None',
          isGlobal: flag(g.isGlobal),
        })),
        connectivityCapabilities: {
          connectedGroupPrivateEndpointsScale: 'Standard',
          connectedGroupAddressOverlap: 'Allowed',
          peeringEnforcement: 'Unenforced',
        },
      },
    });
  }
  return out;
}

/** The lab VNets besides the probe's, and the Virtual WAN and AVNM resources around them. */
export function connectivityResources(scenario: Scenario): ArmResource[] {
  const vnets: ArmResource[] = Object.entries(scenario.connectivity?.vnets ?? {}).map(([name, v]) => ({
    id: labVnetId(scenario, name),
    name,
    type: 'Microsoft.Network/virtualNetworks',
    location: vnetLocation(scenario, name),
    properties: {
      ...ok,
      addressSpace: { addressPrefixes: [...v.addressPrefixes] },
      dhcpOptions: { dnsServers: [] },
      subnets: [],
      virtualNetworkPeerings: hubPeerings(scenario, name),
    },
  }));
  return [...vnets, ...virtualWanResources(scenario), ...networkManagerResources(scenario)];
}
