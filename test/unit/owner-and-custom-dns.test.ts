import { checkInput } from '../../src/probe/checks';
import { checkAddressOwner } from '../../src/probe/checks/address-owner';
import { checkCustomDns } from '../../src/probe/checks/custom-dns';
import type { AddressOwner, ExpectedState, ObservedState, Site } from '../../src/probe/types';
import { CLOUD, endpoint, expected, observed, SUB } from './builders';

/**
 * ENDPOINT_BELONGS_TO_OTHER_RESOURCE and CUSTOM_DNS_NOT_FORWARDING, exactly. Mutants of both survived
 * `npm run mutate`; every expectation is a literal.
 */
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`;
const VNET = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke`;
const OTHER_PE = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe-sql`;
const SQL = `/subscriptions/${SUB}/resourceGroups/db/providers/Microsoft.Sql/servers/sql1`;
const owner = (targets: string[]): AddressOwner => ({
  address: '10.0.1.9',
  privateEndpointId: OTHER_PE,
  networkInterfaceId: `${OTHER_PE}.nic`,
  targetResourceIds: targets,
});
const vault = expected([endpoint('pe1', '10.0.1.4')]);
const run = <T>(check: (i: ReturnType<typeof checkInput>) => T, exp: ExpectedState, obs: ObservedState, site?: Site) =>
  check(checkInput({ cloud: CLOUD, expected: exp, observed: obs, ...(site ? { site } : {}) }));

describe('ENDPOINT_BELONGS_TO_OTHER_RESOURCE', () => {
  it('names the endpoint and the resource it serves', () => {
    const [f, ...rest] = run(
      checkAddressOwner,
      { ...vault, addressOwners: [owner([SQL])] },
      observed({ os: ['10.0.1.9'] }),
    );
    expect(rest).toEqual([]);
    expect(f?.message).toBe(
      'kv1.vault.azure.net resolves to 10.0.1.9, the IP of private endpoint pe-sql of sql1: connections there are refused for this vault with 403.',
    );
    expect(f?.details).toEqual({ address: '10.0.1.9', privateEndpointId: OTHER_PE, otherResourceIds: [SQL] });
    expect([f?.resourceId, f?.confirm]).toEqual([
      OTHER_PE,
      [
        `az network private-endpoint show --ids '${OTHER_PE}' --query "privateLinkServiceConnections[].privateLinkServiceId"`,
      ],
    ]);
  });

  it('an endpoint that serves nothing known: "another resource"; one that also serves this vault (any case): nothing', () => {
    expect(run(checkAddressOwner, { ...vault, addressOwners: [owner([])] }, observed())[0]?.message).toBe(
      'kv1.vault.azure.net resolves to 10.0.1.9, the IP of private endpoint pe-sql of another resource: connections there are refused for this vault with 403.',
    );
    expect(
      run(checkAddressOwner, { ...vault, addressOwners: [owner([SQL, VAULT.toUpperCase()])] }, observed()),
    ).toEqual([]);
  });
});

describe('CUSTOM_DNS_NOT_FORWARDING', () => {
  const custom = (answers: ObservedState['customDns']): ObservedState => ({ ...observed(), customDns: answers });
  const site: Site = { vnetId: VNET };

  it('a custom server answering the public address: named, with the VNet and the command to ask it', () => {
    const [f, ...rest] = run(
      checkCustomDns,
      vault,
      custom([{ server: '10.0.0.53', kind: 'custom', addresses: ['20.1.2.3'] }]),
      site,
    );
    expect(rest).toEqual([]);
    expect(f?.message).toBe(
      "Custom DNS server 10.0.0.53 of this VNet answers 20.1.2.3 for kv1.vault.azure.net, not the private endpoint's 10.0.1.4: it does not forward vault.azure.net to Azure DNS from a VNet linked to the zone.",
    );
    expect(f?.details).toEqual({ server: '10.0.0.53', answered: ['20.1.2.3'], expected: ['10.0.1.4'] });
    expect([f?.resourceId, f?.confirm]).toEqual([VNET, ["nslookup 'kv1.vault.azure.net' '10.0.0.53'"]]);
  });

  it('a custom server that failed, or answered nothing', () => {
    const found = run(
      checkCustomDns,
      vault,
      custom([
        { server: '10.0.0.53', addresses: [], error: { kind: 'TIMEOUT', code: 'ETIMEOUT', message: 't' } },
        { server: '10.0.0.54', addresses: [] },
      ]),
    );
    expect(found.map((f) => [f.message.split(' for ')[0], f.details])).toEqual([
      [
        'Custom DNS server 10.0.0.53 of this VNet answers TIMEOUT (ETIMEOUT)',
        { server: '10.0.0.53', answered: [], expected: ['10.0.1.4'], error: 'ETIMEOUT' },
      ],
      [
        'Custom DNS server 10.0.0.54 of this VNet answers no address',
        { server: '10.0.0.54', answered: [], expected: ['10.0.1.4'] },
      ],
    ]);
  });

  it('a failure is named even beside addresses that would fit', () => {
    const failed = { kind: 'SERVFAIL', code: 'ESERVFAIL', message: 'x' } as const;
    const found = run(checkCustomDns, vault, custom([{ server: '10.0.0.53', addresses: ['10.0.1.4'], error: failed }]));
    expect(found.map((f) => f.details)).toEqual([
      { server: '10.0.0.53', answered: ['10.0.1.4'], expected: ['10.0.1.4'], error: 'ESERVFAIL' },
    ]);
  });

  it('two endpoints this site reaches: both named as expected', () => {
    const two = expected([endpoint('pe1', '10.0.1.4'), endpoint('pe2', '10.0.1.5')]);
    const [f] = run(checkCustomDns, two, custom([{ server: '10.0.0.53', addresses: ['20.1.2.3'] }]));
    expect(f?.message).toBe(
      "Custom DNS server 10.0.0.53 of this VNet answers 20.1.2.3 for kv1.vault.azure.net, not the private endpoint's 10.0.1.4, 10.0.1.5: it does not forward vault.azure.net to Azure DNS from a VNet linked to the zone.",
    );
  });

  it('an endpoint this site reaches whose connection is Pending: no address to expect, nothing', () => {
    const pending = expected([endpoint('pe1', '10.0.1.4', { status: 'Pending' })]);
    const reaches: Site = {
      vnetId: VNET,
      vnet: { id: VNET, addressPrefixes: ['10.0.0.0/16'], dnsServers: ['10.0.0.53'], peerings: [] },
    };
    const obs = custom([{ server: '10.0.0.53', addresses: ['20.1.2.3'] }]);
    expect(checkInput({ cloud: CLOUD, expected: pending, observed: obs, site: reaches }).expectation?.kind).toBe(
      'private',
    );
    expect(run(checkCustomDns, pending, obs, reaches)).toEqual([]);
  });

  it('the right answer, Azure DNS, a vault not expected private, or nothing asked: nothing', () => {
    expect(run(checkCustomDns, vault, custom([{ server: '10.0.0.53', addresses: ['10.0.1.4'] }]))).toEqual([]);
    expect(
      run(checkCustomDns, vault, custom([{ server: '168.63.129.16', kind: 'azure', addresses: ['20.1.2.3'] }])),
    ).toEqual([]);
    expect(
      run(checkCustomDns, expected([], 'Enabled'), custom([{ server: '10.0.0.53', addresses: ['10.0.1.4'] }])),
    ).toEqual([]);
    expect(run(checkCustomDns, vault, observed())).toEqual([]);
  });
});
