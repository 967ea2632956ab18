import { join } from 'node:path';
import type { ManagedHsm } from '@azure/arm-keyvault';
import type {
  EffectiveConnectivityConfiguration,
  HubVirtualNetworkConnection,
  PrivateDnsZoneGroup,
  VirtualHub,
  VirtualNetwork,
  VirtualWAN,
} from '@azure/arm-network';
import type { PrivateZone, RecordSet, VirtualNetworkLink } from '@azure/arm-privatedns';
import { mapManagedHsm, mapPrivateDnsZone, mapVirtualNetwork, mapZoneGroup } from '../../src/adapters/arm-mappers';
import { mapEffectiveConnectivity, mapVirtualHub } from '../../src/adapters/connectivity-mappers';

// Wire JSON as ARM sends it (Private DNS 2024-06-01, Network 2026-01-01, Key Vault 2026-02-01), run through the SDKs'
// own deserializers, loaded by file path (they are internal modules).
function sdk(pkg: string, rel: string): Record<string, (wire: unknown) => unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(require.resolve(pkg), '..', rel)) as Record<string, (wire: unknown) => unknown>;
}
const dns = sdk('@azure/arm-privatedns', 'models/models.js');
const common = sdk('@azure/arm-network', 'models/common/models.js');
const network = sdk('@azure/arm-network', 'models/network/models.js');
const kv = sdk('@azure/arm-keyvault', 'models/models.js');
const de = <T>(name: string, m: Record<string, (wire: unknown) => unknown>, wire: unknown): T =>
  (m[name] as (w: unknown) => T)(wire);

const SUB = '3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99';
const ZONE = `/subscriptions/${SUB}/resourceGroups/Connectivity-DNS/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const HUB = `/subscriptions/${SUB}/resourceGroups/hub-net/providers/Microsoft.Network/virtualNetworks/hub-weu`;

describe('private DNS mappers on wire JSON', () => {
  it('maps a zone with its A record sets and VNet links', () => {
    const zone = de<PrivateZone>('privateZoneDeserializer', dns, {
      id: ZONE,
      name: 'privatelink.vaultcore.azure.net',
      type: 'Microsoft.Network/privateDnsZones',
      location: 'global',
      etag: '1',
      properties: { numberOfRecordSets: 3, provisioningState: 'Succeeded' },
    });
    const records = [
      {
        id: `${ZONE}/A/payments-kv`,
        name: 'payments-kv',
        type: 'Microsoft.Network/privateDnsZones/A',
        etag: '2',
        properties: {
          ttl: 10,
          fqdn: 'payments-kv.privatelink.vaultcore.azure.net.',
          isAutoRegistered: false,
          aRecords: [{ ipv4Address: '10.20.1.5' }],
        },
      },
      {
        id: `${ZONE}/SOA/@`,
        name: '@',
        type: 'Microsoft.Network/privateDnsZones/SOA',
        properties: {
          ttl: 3600,
          soaRecord: { email: 'azureprivatedns-host.microsoft.com', host: 'azureprivatedns.net' },
        },
      },
    ].map((r) => de<RecordSet>('recordSetDeserializer', dns, r));
    const links = [
      {
        id: `${ZONE}/virtualNetworkLinks/hub-weu`,
        name: 'hub-weu',
        type: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks',
        location: 'global',
        properties: {
          virtualNetwork: { id: HUB },
          registrationEnabled: false,
          resolutionPolicy: 'NxDomainRedirect',
          virtualNetworkLinkState: 'Completed',
          provisioningState: 'Succeeded',
        },
      },
    ].map((l) => de<VirtualNetworkLink>('virtualNetworkLinkDeserializer', dns, l));
    expect(mapPrivateDnsZone(zone, records, links)).toEqual({
      id: ZONE,
      name: 'privatelink.vaultcore.azure.net',
      subscriptionId: SUB,
      resourceGroup: 'Connectivity-DNS',
      links: [
        {
          id: `${ZONE}/virtualNetworkLinks/hub-weu`,
          name: 'hub-weu',
          virtualNetworkId: HUB,
          resolutionPolicy: 'NxDomainRedirect',
        },
      ],
      aRecords: [{ id: `${ZONE}/A/payments-kv`, name: 'payments-kv', ips: ['10.20.1.5'], ttl: 10 }],
    });
  });

  it('maps a private endpoint DNS zone group to its zone IDs', () => {
    const g = de<PrivateDnsZoneGroup>('privateDnsZoneGroupDeserializer', network, {
      id: `/subscriptions/${SUB}/resourceGroups/net-rg/providers/Microsoft.Network/privateEndpoints/pe-hub/privateDnsZoneGroups/default`,
      name: 'default',
      etag: 'W/"3"',
      properties: {
        provisioningState: 'Succeeded',
        privateDnsZoneConfigs: [
          {
            name: 'vaultcore',
            properties: {
              privateDnsZoneId: ZONE,
              recordSets: [
                {
                  recordType: 'A',
                  recordSetName: 'payments-kv',
                  fqdn: 'payments-kv.privatelink.vaultcore.azure.net',
                  ttl: 10,
                  ipAddresses: ['10.20.1.5'],
                },
              ],
            },
          },
        ],
      },
    });
    expect(mapZoneGroup(g)).toEqual({
      id: `/subscriptions/${SUB}/resourceGroups/net-rg/providers/Microsoft.Network/privateEndpoints/pe-hub/privateDnsZoneGroups/default`,
      name: 'default',
      zoneIds: [ZONE],
    });
  });

  it('maps a VNet: address space, custom DNS servers, peerings with their remote address space', () => {
    const v = de<VirtualNetwork>('virtualNetworkDeserializer', common, {
      id: `/subscriptions/${SUB}/resourceGroups/spoke-net/providers/Microsoft.Network/virtualNetworks/spoke-weu`,
      name: 'spoke-weu',
      type: 'Microsoft.Network/virtualNetworks',
      location: 'westeurope',
      properties: {
        provisioningState: 'Succeeded',
        addressSpace: { addressPrefixes: ['10.30.0.0/16'] },
        dhcpOptions: { dnsServers: ['10.0.0.4', '10.0.0.5'] },
        virtualNetworkPeerings: [
          {
            id: 'p',
            name: 'to-hub',
            properties: {
              remoteVirtualNetwork: { id: HUB },
              remoteAddressSpace: { addressPrefixes: ['10.0.0.0/22'] },
              peeringState: 'Connected',
              allowVirtualNetworkAccess: true,
            },
          },
        ],
      },
    });
    expect(mapVirtualNetwork(v)).toEqual({
      id: `/subscriptions/${SUB}/resourceGroups/spoke-net/providers/Microsoft.Network/virtualNetworks/spoke-weu`,
      location: 'westeurope',
      addressPrefixes: ['10.30.0.0/16'],
      dnsServers: ['10.0.0.4', '10.0.0.5'],
      peerings: [{ remoteVirtualNetworkId: HUB, remoteAddressPrefixes: ['10.0.0.0/22'], state: 'Connected' }],
      subnets: [],
    });
  });

  it('maps a Managed HSM as a vault record of kind managedHsm', () => {
    const id = `/subscriptions/${SUB}/resourceGroups/hsm-rg/providers/Microsoft.KeyVault/managedHSMs/contoso-hsm`;
    const h = de<ManagedHsm>('managedHsmDeserializer', kv, {
      id,
      name: 'contoso-hsm',
      type: 'Microsoft.KeyVault/managedHSMs',
      location: 'westeurope',
      sku: { family: 'B', name: 'Standard_B1' },
      properties: {
        tenantId: '0d9c8b7a-6f5e-4d3c-2b1a-098f7e6d5c4b',
        hsmUri: 'https://contoso-hsm.managedhsm.azure.net/',
        publicNetworkAccess: 'Disabled',
        provisioningState: 'Succeeded',
        privateEndpointConnections: [
          {
            id: `${id}/privateEndpointConnections/pe-hsm`,
            properties: {
              privateEndpoint: {
                id: `/subscriptions/${SUB}/resourceGroups/net-rg/providers/Microsoft.Network/privateEndpoints/pe-hsm`,
              },
              privateLinkServiceConnectionState: { status: 'Approved', actionsRequired: 'None' },
              provisioningState: 'Succeeded',
            },
          },
        ],
      },
    });
    expect(mapManagedHsm(h, 'managedhsm.azure.net')).toEqual({
      id,
      name: 'contoso-hsm',
      kind: 'managedHsm',
      subscriptionId: SUB,
      resourceGroup: 'hsm-rg',
      host: 'contoso-hsm.managedhsm.azure.net',
      publicNetworkAccess: 'Disabled',
      connections: [
        {
          id: `${id}/privateEndpointConnections/pe-hsm`,
          privateEndpointId: `/subscriptions/${SUB}/resourceGroups/net-rg/providers/Microsoft.Network/privateEndpoints/pe-hsm`,
          status: 'Approved',
          provisioningState: 'Succeeded',
        },
      ],
    });
  });
});

// issue 10: Virtual WAN and AVNM wire JSON, shaped as azure-rest-api-specs' 2025-05-01 examples (VirtualHubList.json,
// HubVirtualNetworkConnectionList.json, VirtualWANGet.json, NetworkManagerEffectiveConnectivityConfigurationsList.json).
describe('Virtual WAN and AVNM mappers on wire JSON', () => {
  const RG = `/subscriptions/${SUB}/resourceGroups/connectivity/providers/Microsoft.Network`;
  const HUB1 = `${RG}/virtualHubs/hub-weu`;
  const WAN1 = `${RG}/virtualWans/wan-corp`;
  const SPOKE = `/subscriptions/${SUB}/resourceGroups/spoke-net/providers/Microsoft.Network/virtualNetworks/spoke-weu`;
  const hubWire = {
    id: HUB1,
    etag: 'w/"1"',
    location: 'westeurope',
    name: 'hub-weu',
    type: 'Microsoft.Network/virtualHubs',
    properties: {
      provisioningState: 'Succeeded',
      virtualWan: { id: WAN1 },
      virtualHubRouteTableV2s: [],
      addressPrefix: '10.100.0.0/23',
      sku: 'Standard',
      routingState: 'Provisioned',
      virtualRouterAsn: 65515,
      virtualRouterIps: ['10.100.0.68', '10.100.0.69'],
      allowBranchToBranchTraffic: false,
      hubRoutingPreference: 'ExpressRoute',
    },
  };
  const connectionWire = (routing: unknown) => ({
    name: 'conn-spoke-weu',
    etag: 'w/"1"',
    id: `${HUB1}/hubVirtualNetworkConnections/conn-spoke-weu`,
    properties: {
      enableInternetSecurity: true,
      provisioningState: 'Succeeded',
      remoteVirtualNetwork: { id: SPOKE },
      routingConfiguration: routing,
    },
  });

  it('maps a hub, its VNet connections with their route tables, and its WAN', () => {
    const hub = de<VirtualHub>('virtualHubDeserializer', network, hubWire);
    const wan = de<VirtualWAN>('virtualWANDeserializer', network, {
      id: WAN1,
      location: 'westeurope',
      name: 'wan-corp',
      type: 'Microsoft.Network/virtualWANs',
      properties: {
        provisioningState: 'Succeeded',
        disableVpnEncryption: false,
        virtualHubs: [{ id: HUB1 }, { id: `${RG}/virtualHubs/hub-neu` }],
        vpnSites: [],
        type: 'Standard',
      },
    });
    const connection = de<HubVirtualNetworkConnection>(
      'hubVirtualNetworkConnectionDeserializer',
      network,
      connectionWire({
        associatedRouteTable: { id: `${HUB1}/hubRouteTables/rt-spokes` },
        propagatedRouteTables: { ids: [{ id: `${HUB1}/hubRouteTables/rt-shared` }], labels: ['shared'] },
      }),
    );
    expect(mapVirtualHub(hub, wan, [connection])).toEqual({
      id: HUB1,
      location: 'westeurope',
      virtualWanId: WAN1,
      wanType: 'Standard',
      wanHubIds: [HUB1, `${RG}/virtualHubs/hub-neu`],
      connections: [
        {
          id: `${HUB1}/hubVirtualNetworkConnections/conn-spoke-weu`,
          remoteVirtualNetworkId: SPOKE,
          provisioningState: 'Succeeded',
          associatedRouteTableId: `${HUB1}/hubRouteTables/rt-spokes`,
          propagatedRouteTableIds: [`${HUB1}/hubRouteTables/rt-shared`],
          propagatedLabels: ['shared'],
        },
      ],
    });
  });

  it("without its WAN, a hub's sku stands for the WAN type and the WAN's other hubs are unknown", () => {
    const hub = de<VirtualHub>('virtualHubDeserializer', network, {
      ...hubWire,
      properties: { ...hubWire.properties, sku: 'Basic' },
    });
    const bare = de<HubVirtualNetworkConnection>(
      'hubVirtualNetworkConnectionDeserializer',
      network,
      connectionWire(undefined),
    );
    expect(mapVirtualHub(hub, undefined, [bare])).toMatchObject({
      wanType: 'Basic',
      wanHubIds: undefined,
      connections: [{ associatedRouteTableId: undefined, propagatedRouteTableIds: [], propagatedLabels: [] }],
    });
  });

  it("maps an effective connectivity configuration: topology, hubs, global flags, its groups and the VNet's", () => {
    const NM = `${RG}/networkManagers/avnm`;
    const c = de<EffectiveConnectivityConfiguration>('effectiveConnectivityConfigurationDeserializer', network, {
      id: `${NM}/connectivityConfigurations/hub-spoke`,
      properties: {
        description: 'spokes of West Europe',
        connectivityTopology: 'HubAndSpoke',
        hubs: [{ resourceId: HUB, resourceType: 'Microsoft.Network/virtualNetworks' }],
        isGlobal: 'False',
        deleteExistingPeering: 'True',
        appliesToGroups: [
          {
            networkGroupId: `${NM}/networkGroups/prod`,
            useHubGateway: 'True',
            groupConnectivity: 'DirectlyConnected',
            isGlobal: 'True',
          },
          {
            networkGroupId: `${NM}/networkGroups/test`,
            useHubGateway: 'False',
            groupConnectivity: 'None',
            isGlobal: 'False',
          },
        ],
        connectivityCapabilities: {
          connectedGroupPrivateEndpointsScale: 'Standard',
          connectedGroupAddressOverlap: 'Allowed',
          peeringEnforcement: 'Unenforced',
        },
        provisioningState: 'Succeeded',
      },
      configurationGroups: [
        { id: `${NM}/networkGroups/prod`, properties: { description: 'production', provisioningState: 'Succeeded' } },
      ],
    });
    expect(mapEffectiveConnectivity(c)).toEqual({
      id: `${NM}/connectivityConfigurations/hub-spoke`,
      topology: 'HubAndSpoke',
      isGlobal: false,
      hubIds: [HUB],
      memberGroupIds: [`${NM}/networkGroups/prod`],
      groups: [
        { networkGroupId: `${NM}/networkGroups/prod`, directlyConnected: true, isGlobal: true },
        { networkGroupId: `${NM}/networkGroups/test`, directlyConnected: false, isGlobal: false },
      ],
    });
  });
});
