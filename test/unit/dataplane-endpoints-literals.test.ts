import { ownersOf, preferredEndpoints } from '../../src/probe/checks/dataplane-endpoints';
import type { AddressOwner, ExpectedEndpoint, Site } from '../../src/probe/types';
import { endpoint, expected, peId, SUB } from './builders';

/**
 * Which endpoints a site should reach the vault through, and what another endpoint serves, as literal ID sets.
 * Written for the mutants `npm run mutate` left alive in src/probe/checks/dataplane-endpoints.ts.
 */
const VNET = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke`;
const HUB = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub`;
const site: Site = {
  vnetId: VNET,
  vnet: { id: VNET, addressPrefixes: ['10.0.0.0/16'], dnsServers: [], peerings: [], subnets: [] },
};
const inSubnet = (e: ExpectedEndpoint, subnetId: string): ExpectedEndpoint => ({
  ...e,
  endpoint: e.endpoint ? { ...e.endpoint, subnetId } : undefined,
});
const lowerPe = (name: string): string => peId(name).toLowerCase();

describe('preferredEndpoints', () => {
  it("the endpoints in the site's VNet win over the endpoint that owns the address connected to", () => {
    const exp = expected([
      inSubnet(endpoint('pe1', '10.0.1.4'), `${VNET}/subnets/pe`),
      inSubnet(endpoint('pe2', '10.1.2.4'), `${HUB}/subnets/pe`),
    ]);
    expect([...preferredEndpoints(exp, site, '10.1.2.4')]).toEqual([lowerPe('pe1')]);
  });

  it('without a local endpoint: the endpoint with any NIC holding the address, on any of its IP configurations', () => {
    const two = endpoint('pe2', '10.0.3.4');
    const exp = expected([
      endpoint('pe1', '10.0.2.4'),
      {
        ...two,
        networkInterfaces: [
          { id: `${peId('pe2')}.nic`, ipConfigurations: [{ privateIpAddress: '10.0.3.4', fqdns: [] }] },
          {
            id: `${peId('pe2')}.nic2`,
            ipConfigurations: [
              { privateIpAddress: '10.0.4.4', fqdns: [] },
              { privateIpAddress: '10.0.4.5', fqdns: [] },
            ],
          },
        ],
      },
    ]);
    expect([...preferredEndpoints(exp, undefined, '10.0.4.5')]).toEqual([lowerPe('pe2')]);
    expect([...preferredEndpoints(exp, site, '10.0.4.4')]).toEqual([lowerPe('pe2')]);
    expect([...preferredEndpoints(exp, site, '10.0.9.9')]).toEqual([]);
  });
});

describe('ownersOf', () => {
  const ST = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1`;
  const KV2 = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv2`;
  const owner = (pe: string, targets: string[]): AddressOwner => ({
    address: '10.0.9.4',
    privateEndpointId: peId(pe),
    networkInterfaceId: `${peId(pe)}.nic`,
    targetResourceIds: targets,
  });
  const exp = { ...expected([]), addressOwners: [owner('pe9', [ST]), owner('pe8', [KV2])] };

  it('what the named endpoint serves, matched case-insensitively', () => {
    expect(ownersOf(peId('pe8').toUpperCase(), exp)).toEqual([KV2]);
    expect(ownersOf(peId('pe9'), exp)).toEqual([ST]);
  });

  it('an endpoint no lookup found serves nothing known', () => {
    expect(ownersOf(peId('pe7'), exp)).toEqual([]);
    expect(ownersOf(peId('pe7'), undefined)).toEqual([]);
  });
});
