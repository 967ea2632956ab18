import { connectedEndpointIds, preferredEndpoints } from '../../src/probe/checks/dataplane-endpoints';
import type { ExpectedEndpoint, Site } from '../../src/probe/types';
import { endpoint, expected, peId, SUB } from './builders';

/**
 * Which endpoints are the vault's own (connectedEndpointIds) and which this site should use (preferredEndpoints).
 * Mutants of both survived `npm run mutate`; every expectation is a literal.
 */
const VNET = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke`;
const HUB = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub`;
const lowerId = (name: string): string => peId(name).toLowerCase();
const inSubnet = (e: ExpectedEndpoint, vnet: string): ExpectedEndpoint => ({
  ...e,
  endpoint: e.endpoint ? { ...e.endpoint, subnetId: `${vnet}/subnets/endpoints` } : undefined,
});
const site: Site = { vnetId: VNET, vnet: { id: VNET, addressPrefixes: ['10.0.0.0/16'], dnsServers: [], peerings: [] } };

describe('connectedEndpointIds', () => {
  it('the endpoints the vault has a connection with, read or not, lower-cased', () => {
    const unread: ExpectedEndpoint = { ...endpoint('pe-unread', '10.0.1.5'), endpoint: undefined };
    expect([...connectedEndpointIds(expected([endpoint('PE1', '10.0.1.4'), unread]))].sort()).toEqual(
      [lowerId('PE1'), lowerId('pe-unread')].sort(),
    );
  });

  it('an endpoint read without a connection naming it still counts; no ARM: none', () => {
    const e = endpoint('pe1', '10.0.1.4');
    const exp = expected([{ ...e, connection: { ...e.connection, privateEndpointId: undefined } }]);
    expect([...connectedEndpointIds(exp)]).toEqual([lowerId('pe1')]);
    expect([...connectedEndpointIds(undefined)]).toEqual([]);
  });
});

describe('preferredEndpoints', () => {
  const local = inSubnet(endpoint('pe-local', '10.0.1.4'), VNET);
  const far = inSubnet(endpoint('pe-far', '10.9.1.4'), HUB);

  it("the endpoints in this site's VNet, whatever address was connected to", () => {
    expect([...preferredEndpoints(expected([local, far]), site, '10.9.1.4')]).toEqual([lowerId('pe-local')]);
  });

  it('none in this VNet, or the VNet unknown: the endpoint that owns the address', () => {
    expect([...preferredEndpoints(expected([far]), site, '10.9.1.4')]).toEqual([lowerId('pe-far')]);
    expect([...preferredEndpoints(expected([local, far]), undefined, '10.9.1.4')]).toEqual([lowerId('pe-far')]);
  });

  it('an address no endpoint owns: no preference', () => {
    expect([...preferredEndpoints(expected([far]), site, '10.7.7.7')]).toEqual([]);
  });
});
