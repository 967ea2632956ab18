import { arrivalFinding } from '../../src/probe/checks/dataplane-arrival';
import { parseNetworkInfo } from '../../src/probe/network-info';
import type { DataplaneObservation, Site } from '../../src/probe/types';
import { endpoint, expected, SUB } from './builders';

/**
 * How Key Vault saw the request arrive (DATAPLANE_NOT_PRIVATE): over a service endpoint, ambiguous between private
 * link and a service endpoint, public, or with no header at all. Written after `npm run mutate` found these lines
 * covered by no unit test; every expectation is a literal.
 */
const VNET = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke`;
const APPS = `${VNET}/subnets/apps`;
const site = (serviceEndpoints: string[]): Site => ({
  vnetId: VNET,
  vnet: {
    id: VNET,
    addressPrefixes: ['10.0.0.0/16'],
    dnsServers: [],
    peerings: [],
    subnets: [{ id: APPS, addressPrefixes: ['10.0.0.0/24'], serviceEndpoints }],
  },
});
const vault = expected([endpoint('pe1', '10.0.1.4')]);
const plane = (address: string, networkInfo?: string, via?: string): DataplaneObservation => ({
  address,
  status: 200,
  ...(networkInfo ? { networkInfo } : {}),
  ...(via ? { via } : {}),
  tcpConnectionForbidden: false,
  timings: { totalMs: 1 },
});
const judge = (o: DataplaneObservation, s?: Site) =>
  arrivalFinding(o, o.networkInfo ? parseNetworkInfo(o.networkInfo) : undefined, vault, s, ['10.0.0.0/16'], o.address);

describe('DATAPLANE_NOT_PRIVATE by arrival', () => {
  it('conn_type=Subnet: the service endpoint of the subnet the header names', () => {
    const info = `conn_type=Subnet;subnet=${APPS};addr=10.0.0.4;act_addr_fam=InterNetwork;`;
    const f = judge(plane('20.1.2.3', info));
    expect([f?.code, f?.severity]).toEqual(['DATAPLANE_NOT_PRIVATE', 'error']);
    expect(f?.message).toBe(
      'Key Vault saw the request on 20.1.2.3 arrive over the service endpoint of subnet apps from 10.0.0.4, not over private link: clients here bypass the private endpoint.',
    );
    expect(f?.details).toEqual({
      address: '20.1.2.3',
      rule: 'conn_type=Subnet',
      networkInfo: info,
      clientAddress: '10.0.0.4',
      connType: 'Subnet',
      subnet: APPS,
    });
  });

  it('a private addr without conn_type where the site subnet has the Key Vault service endpoint: ambiguous, a warning', () => {
    const f = judge(
      plane('20.1.2.3', 'addr=10.0.0.4;act_addr_fam=InterNetwork;', 'http://proxy:3128'),
      site(['Microsoft.KeyVault']),
    );
    expect([f?.code, f?.severity]).toEqual(['DATAPLANE_NOT_PRIVATE', 'warning']);
    expect(f?.message).toBe(
      'Key Vault saw the request on 20.1.2.3 arrive from the private address 10.0.0.4 without conn_type: that is private link or the Key Vault service endpoint of subnet apps, and the header does not say which.',
    );
    expect(f?.details).toEqual({
      address: '20.1.2.3',
      rule: 'service-endpoint-possible',
      via: 'http://proxy:3128',
      networkInfo: 'addr=10.0.0.4;act_addr_fam=InterNetwork;',
      clientAddress: '10.0.0.4',
      connType: undefined,
      subnet: APPS,
    });
  });

  it("to one of the vault's endpoint IPs, or without a Key Vault service endpoint: private link", () => {
    expect(judge(plane('10.0.1.4', 'addr=10.0.0.4;'), site(['Microsoft.KeyVault']))).toBeUndefined();
    expect(judge(plane('20.1.2.3', 'addr=10.0.0.4;'), site(['Microsoft.Storage']))).toBeUndefined();
  });

  it('a public conn_type: named with its rule', () => {
    const f = judge(plane('20.1.2.3', 'conn_type=Ipv4;addr=52.1.2.3;'));
    expect(f?.message).toBe(
      'Key Vault saw the request on 20.1.2.3 arrive as Ipv4 from 52.1.2.3, not over private link (decided by conn_type).',
    );
  });

  it('no header at all: the answer did not come from Key Vault over private link', () => {
    const f = judge(plane('20.1.2.3'));
    expect(f?.message).toBe(
      '20.1.2.3 answered /healthstatus without an x-ms-keyvault-network-info header: the answer did not come from Key Vault over private link.',
    );
    expect(f?.details).toEqual({
      address: '20.1.2.3',
      rule: 'no-header',
      networkInfo: undefined,
      clientAddress: undefined,
      connType: undefined,
    });
  });
});
