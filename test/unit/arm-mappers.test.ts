import { join } from 'node:path';
import type { Vault } from '@azure/arm-keyvault';
import type { NetworkInterface, PrivateEndpoint } from '@azure/arm-network';
import { mapNetworkInterface, mapPrivateEndpoint, mapVault } from '../../src/adapters/arm-mappers';
import { mapNetworkInterfaceWire, mapPrivateEndpointWire, mapVaultWire } from '../../src/adapters/arm-wire-mappers';
import { NET_SUB, networkInterfaceWire, privateEndpointWire, SUB, vaultWire } from './fixtures/wire';

// The SDKs' own deserializers turn wire JSON into their models, exactly as on a real response. They are internal
// modules, so they are loaded by file path rather than through the packages' export maps.
type Deserializer<T> = (wire: unknown) => T;
function sdkModule(pkg: string, rel: string): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(require.resolve(pkg), '..', rel)) as Record<string, unknown>;
}
const kv = sdkModule('@azure/arm-keyvault', 'models/models.js');
const net = sdkModule('@azure/arm-network', 'models/common/models.js');
const vaultDeserializer = kv['vaultDeserializer'] as Deserializer<Vault>;
const peDeserializer = net['privateEndpointDeserializer'] as Deserializer<PrivateEndpoint>;
const nicDeserializer = net['networkInterfaceDeserializer'] as Deserializer<NetworkInterface>;

describe('ARM mappers on wire JSON', () => {
  it('maps a vault with its private endpoint connections', () => {
    expect(mapVault(vaultDeserializer(vaultWire), 'vault.azure.net')).toEqual({
      id: vaultWire.id,
      name: 'Payments-KV',
      subscriptionId: SUB,
      resourceGroup: 'app-rg',
      host: 'payments-kv.vault.azure.net',
      publicNetworkAccess: 'Disabled',
      networkAcls: { defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [] },
      connections: [
        {
          id: `${vaultWire.id}/privateEndpointConnections/pe-hub.4c1b`,
          privateEndpointId: `/subscriptions/${NET_SUB}/resourceGroups/net-rg/providers/Microsoft.Network/privateEndpoints/pe-hub`,
          status: 'Approved',
          provisioningState: 'Succeeded',
        },
        {
          id: `${vaultWire.id}/privateEndpointConnections/pe-spoke.9e2a`,
          privateEndpointId: `/subscriptions/${NET_SUB}/resourceGroups/net-rg/providers/Microsoft.Network/privateEndpoints/pe-spoke`,
          status: 'Pending',
          provisioningState: 'Succeeded',
        },
      ],
    });
  });

  it('falls back to <name>.<suffix> when vaultUri is missing, and to no connections', () => {
    const wire = { ...vaultWire, properties: { tenantId: 't', sku: { family: 'A', name: 'standard' } } };
    const v = mapVault(vaultDeserializer(wire), 'vault.azure.cn');
    expect(v.host).toBe('payments-kv.vault.azure.cn');
    expect(v.connections).toEqual([]);
    expect(v.publicNetworkAccess).toBeUndefined();
    // No privateEndpointConnections at all: unknown, not none; the pipeline reads the vault before skipping it.
    expect(v.connectionsListed).toBe(false);
    expect(mapVaultWire(wire, 'vault.azure.cn').connectionsListed).toBe(false);
  });

  it('maps the vault firewall: default action, IP rules, VNet rules; the same on the wire and through the SDK', () => {
    const subnet = `/subscriptions/${NET_SUB}/resourceGroups/net-rg/providers/Microsoft.Network/virtualNetworks/spoke/subnets/apps`;
    const wire = {
      ...vaultWire,
      properties: {
        ...vaultWire.properties,
        publicNetworkAccess: 'Enabled',
        networkAcls: {
          bypass: 'AzureServices',
          defaultAction: 'Deny',
          ipRules: [{ value: '203.0.113.0/24' }],
          virtualNetworkRules: [{ id: subnet, ignoreMissingVnetServiceEndpoint: false }],
        },
      },
    };
    const want = { defaultAction: 'Deny', ipRules: ['203.0.113.0/24'], virtualNetworkRules: [subnet] };
    expect(mapVault(vaultDeserializer(wire), 'vault.azure.net').networkAcls).toEqual(want);
    expect(mapVaultWire(wire, 'vault.azure.net').networkAcls).toEqual(want);
    expect(mapVaultWire(wire, 'vault.azure.net').connectionsListed).toBeUndefined();
  });

  it('maps a private endpoint (flattened by the SDK) with auto and manual connections', () => {
    const manual = {
      ...privateEndpointWire,
      properties: {
        ...privateEndpointWire.properties,
        privateLinkServiceConnections: [],
        manualPrivateLinkServiceConnections: [
          {
            ...privateEndpointWire.properties.privateLinkServiceConnections[0],
            properties: {
              ...privateEndpointWire.properties.privateLinkServiceConnections[0]?.properties,
              privateLinkServiceConnectionState: { status: 'Pending', description: 'waiting', actionsRequired: 'None' },
            },
          },
        ],
      },
    };
    expect(mapPrivateEndpoint(peDeserializer(privateEndpointWire))).toEqual({
      id: privateEndpointWire.id,
      name: 'pe-hub',
      provisioningState: 'Succeeded',
      subnetId: `/subscriptions/${NET_SUB}/resourceGroups/net-rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/endpoints`,
      connections: [
        {
          name: 'pe-hub',
          approval: 'auto',
          privateLinkServiceId: vaultWire.id,
          status: 'Approved',
          provisioningState: 'Succeeded',
          description: 'Auto-approved',
        },
      ],
      networkInterfaceIds: [
        `/subscriptions/${NET_SUB}/resourceGroups/net-rg/providers/Microsoft.Network/networkInterfaces/pe-hub.nic.1a2b`,
      ],
      customDnsConfigs: [{ fqdn: 'payments-kv.vault.azure.net', ipAddresses: ['10.20.1.5'] }],
    });
    expect(mapPrivateEndpoint(peDeserializer(manual)).connections).toEqual([
      {
        name: 'pe-hub',
        approval: 'manual',
        privateLinkServiceId: vaultWire.id,
        status: 'Pending',
        provisioningState: 'Succeeded',
        description: 'waiting',
      },
    ]);
  });

  it('maps a NIC to its IPs and private-link FQDNs, tolerating a prefix-suffixed address', () => {
    expect(mapNetworkInterface(nicDeserializer(networkInterfaceWire))).toEqual({
      id: networkInterfaceWire.id,
      ipConfigurations: [{ privateIpAddress: '10.20.1.5', fqdns: ['payments-kv.vault.azure.net'] }],
    });
    const prefixed = {
      ...networkInterfaceWire,
      properties: { ipConfigurations: [{ name: 'c', properties: { privateIPAddress: '172.20.2.16/28' } }] },
    };
    expect(mapNetworkInterface(nicDeserializer(prefixed)).ipConfigurations).toEqual([
      { privateIpAddress: '172.20.2.16', fqdns: [] },
    ]);
  });

  it('a NIC whose privateIPAddress is no string maps to no address instead of failing the whole list', () => {
    // Found by the ARM payload fuzzing (test/lab/fuzz.ts): a number there threw in split(), and every NIC of the list
    // page, so every vault of the run, lost its expected address.
    for (const privateIPAddress of [5, true, ['10.0.0.1'], { a: 1 }]) {
      const bad = {
        ...networkInterfaceWire,
        properties: { ipConfigurations: [{ name: 'c', properties: { privateIPAddress } }] },
      };
      expect(mapNetworkInterface(nicDeserializer(bad)).ipConfigurations).toEqual([]);
    }
  });
});

describe('wire mappers (Resource Graph rows) agree with the SDK path', () => {
  it.each([
    [
      'vault',
      () => [mapVaultWire(vaultWire, 'vault.azure.net'), mapVault(vaultDeserializer(vaultWire), 'vault.azure.net')],
    ],
    [
      'private endpoint',
      () => [mapPrivateEndpointWire(privateEndpointWire), mapPrivateEndpoint(peDeserializer(privateEndpointWire))],
    ],
    [
      'network interface',
      () => [mapNetworkInterfaceWire(networkInterfaceWire), mapNetworkInterface(nicDeserializer(networkInterfaceWire))],
    ],
  ])('%s', (_n, both) => {
    const [wire, sdk] = both();
    expect(wire).toEqual(sdk);
  });

  it('tolerates missing and mistyped fields', () => {
    expect(
      mapPrivateEndpointWire({
        id: 'x',
        properties: { networkInterfaces: 'nope', customDnsConfigs: [{ ipAddresses: [1, '10.0.0.1'] }] },
      }),
    ).toEqual({
      id: 'x',
      name: '',
      provisioningState: undefined,
      subnetId: undefined,
      connections: [],
      networkInterfaceIds: [],
      customDnsConfigs: [{ fqdn: '', ipAddresses: ['10.0.0.1'] }],
    });
  });
});
