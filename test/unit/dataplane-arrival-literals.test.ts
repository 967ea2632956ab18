import { arrivalFinding } from '../../src/probe/checks/dataplane-arrival';
import { parseNetworkInfo } from '../../src/probe/network-info';
import type { DataplaneObservation, ExpectedState, Site } from '../../src/probe/types';
import { endpoint, expected, SUB } from './builders';

/**
 * DATAPLANE_NOT_PRIVATE by arrival, as literals: an address that is one of the vault's endpoint IPs, a vault whose
 * state is unknown, and the message's fallbacks when the header leaves out the caller's address or the connection
 * type. Written for the mutants `npm run mutate` left alive in src/probe/checks/dataplane-arrival.ts.
 */
const VNET = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke`;
const APPS = `${VNET}/subnets/apps`;
const site: Site = {
  vnetId: VNET,
  vnet: {
    id: VNET,
    addressPrefixes: ['10.0.0.0/16'],
    dnsServers: [],
    peerings: [],
    subnets: [{ id: APPS, addressPrefixes: ['10.0.0.0/24'], serviceEndpoints: ['Microsoft.KeyVault'] }],
  },
};
const twoEndpoints = expected([endpoint('pe1', '10.0.1.4'), endpoint('pe2', '10.0.2.4')]);
const plane = (address: string, networkInfo: string): DataplaneObservation => ({
  address,
  status: 200,
  networkInfo,
  tcpConnectionForbidden: false,
  timings: { totalMs: 1 },
});
const judge = (o: DataplaneObservation, exp: ExpectedState | undefined, s?: Site) =>
  arrivalFinding(o, o.networkInfo ? parseNetworkInfo(o.networkInfo) : undefined, exp, s, ['10.0.0.0/16'], o.address);
const AMBIGUOUS =
  'Key Vault saw the request on 20.1.2.3 arrive from the private address 10.0.0.4 without conn_type: that is private link or the Key Vault service endpoint of subnet apps, and the header does not say which.';

describe('a private addr without conn_type, from a site subnet with the Key Vault service endpoint', () => {
  it('on one of the vault’s endpoint IPs (any of them): private link, whatever the header’s form', () => {
    expect(judge(plane('10.0.1.4', 'addr=10.0.0.4;'), twoEndpoints, site)).toBeUndefined();
    expect(judge(plane('10.0.2.4', 'addr=10.0.0.4;'), twoEndpoints, site)).toBeUndefined();
  });

  it('the vault’s endpoints unknown: ambiguous, a warning', () => {
    const f = judge(plane('20.1.2.3', 'addr=10.0.0.4;'), undefined, site);
    expect({ code: f?.code, severity: f?.severity, message: f?.message, details: f?.details }).toEqual({
      code: 'DATAPLANE_NOT_PRIVATE',
      severity: 'warning',
      message: AMBIGUOUS,
      details: {
        address: '20.1.2.3',
        rule: 'service-endpoint-possible',
        networkInfo: 'addr=10.0.0.4;',
        clientAddress: '10.0.0.4',
        connType: undefined,
        subnet: APPS,
      },
    });
  });
});

describe('the fallbacks when the header leaves something out', () => {
  it('conn_type=Subnet without addr', () => {
    const f = judge(plane('20.1.2.3', `conn_type=Subnet;subnet=${APPS};`), twoEndpoints);
    expect(f?.message).toBe(
      'Key Vault saw the request on 20.1.2.3 arrive over the service endpoint of subnet apps from an unknown address, not over private link: clients here bypass the private endpoint.',
    );
  });

  it('a public addr without conn_type', () => {
    const f = judge(plane('20.1.2.3', 'addr=52.1.2.3;'), twoEndpoints);
    expect(f?.message).toBe(
      'Key Vault saw the request on 20.1.2.3 arrive as unknown from 52.1.2.3, not over private link (decided by public).',
    );
  });

  it('a public conn_type without addr', () => {
    const f = judge(plane('20.1.2.3', 'conn_type=Internet;'), twoEndpoints);
    expect(f?.message).toBe(
      'Key Vault saw the request on 20.1.2.3 arrive as Internet from an unknown address, not over private link (decided by conn_type).',
    );
  });
});
