import { factsOf, objectOf } from '../../src/probe/diagnoses';

/**
 * The object a diagnosis names for each kind of resource ID, and the facts of the codes no scenario gave a unit test.
 * Written from `npm run mutate`'s uncovered mutants; literal expectations.
 */
const RG = '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/dns';
const ZONE = `${RG}/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const PE = `${RG}/providers/Microsoft.Network/privateEndpoints/pe-Orders`;
const VAULT = `${RG}/providers/Microsoft.KeyVault/vaults/kv-orders`;

describe('objectOf', () => {
  it.each([
    [`${ZONE}/A/kv-orders`, 'record set kv-orders in zone privatelink.vaultcore.azure.net (dns)'],
    [`${ZONE}/virtualNetworkLinks/spoke`, 'link spoke of zone privatelink.vaultcore.azure.net (dns)'],
    [ZONE, 'zone privatelink.vaultcore.azure.net (dns)'],
    [`${RG}/providers/Microsoft.Network/dnsForwardingRulesets/rs-hub`, 'forwarding ruleset rs-hub (dns)'],
    [`${VAULT}/privateEndpointConnections/pe-orders.1234`, 'connection pe-orders.1234 of vault kv-orders'],
    [
      `${RG}/providers/Microsoft.KeyVault/managedHSMs/hsm1/privateEndpointConnections/c1`,
      'connection c1 of vault hsm1',
    ],
    [PE, 'private endpoint pe-Orders (dns)'],
    [`${RG}/providers/Microsoft.Network/networkInterfaces/pe-orders.nic`, 'NIC pe-orders.nic (dns)'],
    [`${RG}/providers/Microsoft.Network/virtualNetworks/spoke`, 'VNet spoke (dns)'],
    [VAULT, 'vault kv-orders'],
    ['/subscriptions/11111111-1111-1111-1111-111111111111', 'subscription 11111111-1111-1111-1111-111111111111'],
    [`${RG}/providers/Microsoft.Network/azureFirewalls/fw`, `${RG}/providers/Microsoft.Network/azureFirewalls/fw`],
    [undefined, 'no ARM resource'],
    [null, 'no ARM resource'],
  ] as const)('%s', (id, want) => {
    expect(objectOf('DNS_PUBLIC_IP', id)).toBe(want);
  });

  it('a code whose object is no ARM resource names it, whatever the ID', () => {
    expect(objectOf('PROXY_IN_PATH', VAULT)).toBe('the proxy settings (HTTPS_PROXY, NO_PROXY)');
  });
});

describe('factsOf', () => {
  it('ARM_READ_FAILED shares the endpoint only when the failed read was of one', () => {
    expect(
      factsOf({ code: 'ARM_READ_FAILED', details: { operation: 'get private endpoint', resourceId: PE } }),
    ).toEqual({
      endpoint: [PE.toLowerCase()],
    });
    expect(factsOf({ code: 'ARM_READ_FAILED', details: { operation: 'get vault', resourceId: VAULT } })).toEqual({});
    expect(factsOf({ code: 'ARM_READ_FAILED', details: { operation: 'list vaults' } })).toEqual({});
  });

  it('DNS_ADDRESSES_CAPPED: its sample of addresses and the host label', () => {
    const details = { host: 'KV-Orders.vault.azure.net', total: 40, judged: 16, leftOut: 24, sample: ['10.0.0.4'] };
    expect(factsOf({ code: 'DNS_ADDRESSES_CAPPED', details })).toEqual({ address: ['10.0.0.4'], name: ['kv-orders'] });
  });

  it('RESOLVER_FORWARDING_LOOP: the labels of the names it catches, the VNet and the server', () => {
    const details = {
      ruleset: 'rs',
      rule: 'r',
      domain: 'vault.azure.net.',
      target: '10.9.0.4',
      vnetId: 'HUB',
      inboundEndpointId: 'in',
      hosts: ['kv-orders.vault.azure.net', 'kv-orders.privatelink.vaultcore.azure.net'],
      server: '10.9.0.4',
    };
    expect(factsOf({ code: 'RESOLVER_FORWARDING_LOOP', details })).toEqual({
      vnet: ['hub'],
      name: ['kv-orders'],
      resolver: ['10.9.0.4'],
    });
  });

  it('DATAPLANE_FORBIDDEN is about the public path for ForbiddenByConnection or ForbiddenByFirewall only', () => {
    const base = { address: '20.1.2.3', status: 403, request: 'authenticated' } as const;
    const path = (extra: { errorCode?: string; innerErrorCode?: string }) =>
      factsOf({ code: 'DATAPLANE_FORBIDDEN', details: { ...base, ...extra } }).path;
    expect(path({ innerErrorCode: 'ForbiddenByFirewall' })).toEqual(['public']);
    expect(path({ errorCode: 'forbiddenbyconnection' })).toEqual(['public']);
    expect(path({ errorCode: 'Forbidden', innerErrorCode: 'AccessDenied' })).toBeUndefined();
    expect(path({})).toBeUndefined();
  });
});
