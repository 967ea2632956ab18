import { checkAddressOwner } from '../../src/probe/checks/address-owner';
import { checkDnsResolution } from '../../src/probe/checks/dns-resolution';
import type { ObservedState } from '../../src/probe/types';
import { endpoint, expected, input, observed, peId, SUB } from './builders';

/**
 * DNS_FAILURE naming several DNS servers and ENDPOINT_BELONGS_TO_OTHER_RESOURCE naming several resources, as
 * literals. Written for the mutants `npm run mutate` left alive in src/probe/checks/dns-resolution.ts and
 * src/probe/checks/address-owner.ts.
 */
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`;

it('DNS_FAILURE names every DNS server asked', () => {
  const o = observed({ dnsError: { kind: 'TIMEOUT', code: 'ETIMEOUT', message: 't' } });
  const twoServers: ObservedState = {
    ...o,
    dns: { ...o.dns, dns: { ...o.dns.dns, servers: ['10.0.0.53', '10.0.0.54'] } },
  };
  expect(checkDnsResolution(input(expected([endpoint('pe1', '10.0.1.4')]), twoServers))).toEqual([
    {
      code: 'DNS_FAILURE',
      severity: 'error',
      message: 'DNS (servers 10.0.0.53, 10.0.0.54) could not resolve kv1.vault.azure.net: TIMEOUT (ETIMEOUT).',
      remediation: expect.any(String) as string,
      details: { resolver: 'dns', host: 'kv1.vault.azure.net', errorKind: 'TIMEOUT', errorCode: 'ETIMEOUT' },
      resourceId: VAULT,
      confirm: ["nslookup 'kv1.vault.azure.net' '10.0.0.53'"],
    },
  ]);
});

it('ENDPOINT_BELONGS_TO_OTHER_RESOURCE names every resource the endpoint serves', () => {
  const st = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1`;
  const kv2 = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv2`;
  const exp = {
    ...expected([endpoint('pe1', '10.0.1.4')]),
    addressOwners: [
      {
        address: '10.0.9.4',
        privateEndpointId: peId('pe9'),
        networkInterfaceId: `${peId('pe9')}.nic`,
        targetResourceIds: [st, kv2],
      },
    ],
  };
  const [f, ...rest] = checkAddressOwner(input(exp, observed({ os: ['10.0.9.4'] })));
  expect(rest).toEqual([]);
  expect([f?.message, f?.details]).toEqual([
    'kv1.vault.azure.net resolves to 10.0.9.4, the IP of private endpoint pe9 of st1, kv2: connections there are refused for this vault with 403.',
    { address: '10.0.9.4', privateEndpointId: peId('pe9'), otherResourceIds: [st, kv2] },
  ]);
});
