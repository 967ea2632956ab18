import { connectivityBasis, connectivityGaps } from '../../src/probe/connectivity';
import {
  describeExpectation,
  expectationView,
  siteExpectation,
  siteVnets,
  vnetOfSubnet,
} from '../../src/probe/expectation';
import type { ExpectedEndpoint, Site } from '../../src/probe/types';
import { endpoint, expected, SUB } from './builders';

/**
 * The expectation and connectivity helpers on the inputs no other unit test gave them: subnet IDs that are no
 * subnet, peerings not connected, an endpoint that could not be read, a route table that could not be read, a hub
 * whose WAN says nothing, a read that failed without a status. Literal expectations, from `npm run mutate`.
 */
const net = (name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/${name}`;
const SPOKE = net('Spoke');

describe('vnetOfSubnet and siteVnets', () => {
  it('the VNet of a subnet ID, lower-cased; nothing for an ID that names no subnet', () => {
    expect(vnetOfSubnet(`${SPOKE}/subnets/pe`)).toBe(SPOKE.toLowerCase());
    expect(vnetOfSubnet(`${SPOKE}/subnets/pe/extra`)).toBeUndefined();
    expect(vnetOfSubnet(SPOKE)).toBeUndefined();
    expect(vnetOfSubnet(undefined)).toBeUndefined();
  });

  it('connected peers and peers of unknown state count; disconnected ones do not', () => {
    const peer = (name: string, state: string | undefined) => ({
      remoteVirtualNetworkId: net(name),
      remoteAddressPrefixes: [],
      state,
    });
    const vnet = {
      id: SPOKE,
      addressPrefixes: [],
      dnsServers: [],
      peerings: [
        peer('Hub', 'Connected'),
        peer('old', 'Disconnected'),
        peer('new', undefined),
        peer('hub', 'CONNECTED'),
      ],
    };
    expect(siteVnets(SPOKE, vnet)).toEqual([SPOKE, net('Hub'), net('new')].map((v) => v.toLowerCase()));
    expect(siteVnets(SPOKE, undefined)).toEqual([SPOKE.toLowerCase()]);
  });
});

describe('siteExpectation on what could not be read', () => {
  const site: Site = {
    vnetId: SPOKE,
    vnet: { id: SPOKE, addressPrefixes: ['10.0.0.0/16'], dnsServers: [], peerings: [] },
  };

  it('an endpoint that could not be read is reached leniently (unknown), its NIC address expected', () => {
    const e = endpoint('pe1', '10.5.1.4');
    const unread: ExpectedEndpoint = { ...e, endpoint: undefined };
    const x = siteExpectation(expected([unread]), site);
    expect([x.kind, x.endpoints.map((p) => p.reach), x.ips]).toEqual(['private', ['unknown'], ['10.5.1.4']]);
  });

  it('a route table that could not be read is named in the basis, and its routes are not counted', () => {
    const withTable: Site = {
      ...site,
      vnet: {
        ...site.vnet!,
        subnets: [
          {
            id: `${SPOKE}/subnets/app`,
            addressPrefixes: ['10.0.1.0/24'],
            serviceEndpoints: [],
            routeTableId: '/rt/rt-app',
          },
        ],
      },
      routeTables: [
        {
          id: '/rt/rt-app',
          table: {
            ok: false,
            error: { operation: 'x', resourceId: 'x', statusCode: 403, code: 'Denied', message: 'x' },
          },
        },
      ],
    };
    const x = siteExpectation(expected([endpoint('pe1', '10.0.1.4')]), withTable);
    expect(x.basis).toEqual([
      'routes and service endpoints judged from every subnet of this VNet (PROBE_VNET_ID names no subnet), leniently',
      'route table(s) rt-app could not be read: their routes are not counted',
    ]);
  });
});

describe('describeExpectation and expectationView', () => {
  const far: Site = {
    vnetId: SPOKE,
    vnet: { id: SPOKE, addressPrefixes: ['10.9.0.0/16'], dnsServers: [], peerings: [] },
  };

  it('a vault public from here, judged and assumed', () => {
    const exp = expected([endpoint('pe1', '10.0.1.4')], 'Enabled');
    expect(describeExpectation(siteExpectation(exp, far))).toBe('public');
    expect(expectationView(siteExpectation(exp, undefined))).toStrictEqual({
      kind: 'private',
      assumed: true,
      endpoints: [
        { privateEndpointId: expect.stringMatching(/\/pe1$/) as string, ips: ['10.0.1.4'], reach: 'assumed' },
      ],
      publicAccess: 'enabled',
      text: '~private pe1@10.0.1.4',
    });
  });
});

describe('connectivityBasis and connectivityGaps', () => {
  const hub = {
    id: '/hubs/hub-we',
    location: 'westeurope',
    virtualWanId: undefined,
    wanType: undefined,
    wanHubIds: undefined,
    connections: [
      {
        id: '/hubs/hub-we/hubVirtualNetworkConnections/c',
        remoteVirtualNetworkId: SPOKE,
        provisioningState: 'Succeeded',
        associatedRouteTableId: undefined,
        propagatedRouteTableIds: [],
        propagatedLabels: [],
      },
    ],
  };
  const failed = {
    ok: false as const,
    error: { operation: 'x', resourceId: 'x', statusCode: undefined, code: undefined, message: 'x' },
  };

  it('a hub whose WAN says nothing, and a subscription whose hubs failed without a status', () => {
    const state = {
      virtualWan: [
        { subscriptionId: 'sub-a', hubs: { ok: true as const, value: [hub] } },
        { subscriptionId: 'sub-b', hubs: failed },
      ],
    };
    expect(connectivityBasis(SPOKE, state)).toEqual([
      'Virtual WAN: connected to hub hub-we (type unknown WAN ?), 1 hub(s) read',
      'Virtual WAN: the hubs of sub-b could not be read (failed)',
    ]);
    expect(connectivityGaps(state)).toEqual(['the Virtual WAN hubs of subscription sub-b (failed)']);
  });
});
