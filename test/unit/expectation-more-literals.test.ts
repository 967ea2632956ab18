import { describeExpectation, expectsPrivateFrom, siteExpectation } from '../../src/probe/expectation';
import type { Site } from '../../src/probe/types';
import { endpoint, expected, peId, SUB } from './builders';

/**
 * The site expectation whole, and the words it is shown in: no `blocked` or subnet key where nothing gave one, the
 * subnets that took part, each unread route table named, endpoints without a known address. Written from
 * `npm run mutate`'s survivors; literal expectations.
 */
const SPOKE = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke`;
const site = (over: Partial<NonNullable<Site['vnet']>> = {}, extra: Partial<Site> = {}): Site => ({
  vnetId: SPOKE,
  vnet: { id: SPOKE, addressPrefixes: ['10.0.0.0/16'], dnsServers: [], peerings: [], ...over },
  ...extra,
});

describe('siteExpectation, whole', () => {
  it('an endpoint in the VNet, nothing else read: no blocked routes, no subnet, no basis', () => {
    const e = endpoint('pe1', '10.0.1.4');
    const here = { ...e, endpoint: e.endpoint && { ...e.endpoint, subnetId: `${SPOKE}/subnets/pe` } };
    expect(siteExpectation(expected([here]), site())).toStrictEqual({
      kind: 'private',
      assumed: false,
      endpoints: [{ privateEndpointId: peId('pe1'), ips: ['10.0.1.4'], reach: 'vnet', usable: true }],
      ips: ['10.0.1.4'],
      unreachedIps: [],
      publicAccess: 'disabled',
      basis: [],
    });
  });

  it('a subnet with a service endpoint and no route table takes part; two unread route tables are both named', () => {
    const subnets = [
      { id: `${SPOKE}/subnets/app`, addressPrefixes: ['10.0.1.0/24'], serviceEndpoints: ['Microsoft.Storage'] },
    ];
    expect(siteExpectation(expected([endpoint('pe1', '10.0.1.4')]), site({ subnets })).basis).toEqual([
      'routes and service endpoints judged from every subnet of this VNet (PROBE_VNET_ID names no subnet), leniently',
    ]);
    const denied = { operation: 'x', resourceId: 'x', statusCode: 403, code: 'Denied', message: 'x' };
    const tables = ['/rt/a', '/rt/b'].map((id) => ({ id, table: { ok: false as const, error: denied } }));
    const plain = [{ id: `${SPOKE}/subnets/app`, addressPrefixes: ['10.0.1.0/24'], serviceEndpoints: [] }];
    expect(
      siteExpectation(expected([endpoint('pe1', '10.0.1.4')]), site({ subnets: plain }, { routeTables: tables })).basis,
    ).toEqual(['route table(s) a, b could not be read: their routes are not counted']);
  });
});

describe('describeExpectation and expectsPrivateFrom', () => {
  it('several addresses of one endpoint, and an endpoint without one', () => {
    const e = endpoint('pe1', '10.0.1.4');
    const two = {
      ...e,
      networkInterfaces: [
        {
          id: 'nic',
          ipConfigurations: ['10.0.1.4', '10.0.1.5'].map((ip) => ({
            privateIpAddress: ip,
            fqdns: ['kv1.vault.azure.net'],
          })),
        },
      ],
    };
    const none = { ...endpoint('pe2', '10.0.2.4'), networkInterfaces: [] };
    expect(describeExpectation(siteExpectation(expected([two, none]), undefined))).toBe(
      '~private pe1@10.0.1.4+10.0.1.5 pe2@?',
    );
  });

  it('a vault with no connection is never expected private, whatever the expectation says', () => {
    const x = siteExpectation(expected([endpoint('pe1', '10.0.1.4')]), undefined);
    expect(expectsPrivateFrom(expected([endpoint('pe1', '10.0.1.4')]), x)).toBe(true);
    expect(expectsPrivateFrom(expected([]), x)).toBe(false);
  });
});
