import { join } from 'node:path';
import type { ManagedHsm } from '@azure/arm-keyvault';
import type { PrivateDnsZoneGroup, VirtualNetwork } from '@azure/arm-network';
import type { PrivateZone, RecordSet, VirtualNetworkLink } from '@azure/arm-privatedns';
import { mapManagedHsm, mapPrivateDnsZone, mapVirtualNetwork, mapZoneGroup } from '../../src/adapters/arm-mappers';

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
      addressPrefixes: ['10.30.0.0/16'],
      dnsServers: ['10.0.0.4', '10.0.0.5'],
      peerings: [{ remoteVirtualNetworkId: HUB, remoteAddressPrefixes: ['10.0.0.0/22'], state: 'Connected' }],
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
