import { checkInput } from '../../src/probe/checks';
import { checkDnsAddress } from '../../src/probe/checks/dns-address';
import { checkNoPrivateEndpoint } from '../../src/probe/checks/no-private-endpoint';
import { checkPrivatelinkCname } from '../../src/probe/checks/privatelink-cname';
import { checkProvisioning } from '../../src/probe/checks/provisioning';
import { checkZoneRecords } from '../../src/probe/checks/zone-records';
import type { ExpectedState, ObservedState } from '../../src/probe/types';
import { CLOUD, endpoint, expected, observed, peId, SUB } from './builders';

/**
 * The exact findings of NO_PRIVATE_ENDPOINT, PE_NOT_PROVISIONED and DNS_NO_PRIVATELINK_CNAME, and three guards
 * (zone records with an unread endpoint, a DNS address check with nothing expected). Mutants of these survived
 * `npm run mutate`; every expectation is a literal.
 */
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`;
const ZONE = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const run = <T>(check: (i: ReturnType<typeof checkInput>) => T, exp: ExpectedState, obs: ObservedState = observed()) =>
  check(checkInput({ cloud: CLOUD, expected: exp, observed: obs }));

describe('NO_PRIVATE_ENDPOINT', () => {
  it('public access disabled: an error, no path at all, and the create command', () => {
    const [f] = run(checkNoPrivateEndpoint, expected([], 'Disabled'));
    expect(f?.message).toBe(
      'Vault kv1 has public network access disabled and no private endpoint connection: no network path can reach it.',
    );
    expect([f?.severity, f?.details, f?.resourceId]).toEqual(['error', { publicNetworkAccess: 'Disabled' }, VAULT]);
    expect(f?.fix).toEqual([
      `az network private-endpoint create -g '<resource-group>' -n 'pe-kv1' --vnet-name '<vnet>' --subnet '<subnet>' --private-connection-resource-id '${VAULT}' --group-id vault --connection-name 'kv1'`,
    ]);
  });

  it('public access enabled: a warning, clients go public', () => {
    const [f] = run(checkNoPrivateEndpoint, expected([], 'Enabled'));
    expect([f?.severity, f?.message]).toEqual([
      'warning',
      'Vault kv1 has no private endpoint connection; clients reach it over its public endpoint.',
    ]);
  });
});

describe('PE_NOT_PROVISIONED', () => {
  it('each side that is not Succeeded, named, with the object and the endpoint to show', () => {
    const ep = endpoint('pe1', '10.0.1.4', { provisioning: 'Updating', peProvisioning: 'Failed' });
    const found = run(checkProvisioning, expected([ep]));
    expect(found.map((f) => [f.message, f.details, f.resourceId, f.severity])).toEqual([
      [
        "The provisioning state of the vault's connection to private endpoint pe1 is Updating (vault kv1).",
        { privateEndpointId: peId('pe1'), side: 'vault', provisioningState: 'Updating' },
        `${VAULT}/privateEndpointConnections/pe1-conn`,
        'error',
      ],
      [
        'The provisioning state of private endpoint pe1 is Failed (vault kv1).',
        { privateEndpointId: peId('pe1'), side: 'endpoint', provisioningState: 'Failed' },
        peId('pe1'),
        'error',
      ],
    ]);
    expect(found[0]?.confirm).toEqual([
      `az network private-endpoint show --ids '${peId('pe1')}' --query "{state:provisioningState, connections:privateLinkServiceConnections[].{status:privateLinkServiceConnectionState.status, state:provisioningState}, nics:networkInterfaces[].id}"`,
    ]);
  });
});

describe('PE_NOT_PROVISIONED on the endpoint side of the connection', () => {
  it("names the endpoint's connection; a warning while another endpoint still serves the vault", () => {
    const e = endpoint('pe2', '10.1.1.4');
    const failing = {
      ...e,
      endpoint: e.endpoint
        ? { ...e.endpoint, connections: e.endpoint.connections.map((c) => ({ ...c, provisioningState: 'Failed' })) }
        : undefined,
    };
    const [f, ...rest] = run(checkProvisioning, expected([endpoint('pe1', '10.0.1.4'), failing]));
    expect(rest).toEqual([]);
    expect([f?.message, f?.details, f?.resourceId, f?.severity]).toEqual([
      'The provisioning state of connection pe2-plsc of private endpoint pe2 is Failed (vault kv1).',
      { privateEndpointId: peId('pe2'), side: 'endpoint-connection', provisioningState: 'Failed' },
      peId('pe2'),
      'warning',
    ]);
  });
});

describe('DNS_NO_PRIVATELINK_CNAME', () => {
  it('names the chain it saw and the CNAME it expected', () => {
    const [f] = run(
      checkPrivatelinkCname,
      expected([endpoint('pe1', '10.0.1.4')]),
      observed({ cnames: ['kv1.other.net'] }),
    );
    expect(f?.message).toBe(
      'kv1.vault.azure.net resolves through kv1.other.net, not through kv1.privatelink.vaultcore.azure.net: private DNS zones for privatelink.vaultcore.azure.net are never consulted.',
    );
  });

  it('a DNS answer that failed, or came back empty, is no CNAME fault', () => {
    const exp = expected([endpoint('pe1', '10.0.1.4')]);
    expect(
      run(
        checkPrivatelinkCname,
        exp,
        observed({ cnames: [], dnsError: { kind: 'TIMEOUT', code: 'ETIMEOUT', message: 't' } }),
      ),
    ).toEqual([]);
    expect(run(checkPrivatelinkCname, exp, observed({ cnames: [], dns: [] }))).toEqual([]);
  });
});

describe('guards', () => {
  it('zone records are not judged while an endpoint IP is unknown (its read failed)', () => {
    const unread = { ...endpoint('pe1', '10.0.1.4'), endpoint: undefined, networkInterfaces: [] };
    const exp: ExpectedState = {
      ...expected([unread]),
      zones: [
        {
          id: ZONE,
          name: 'privatelink.vaultcore.azure.net',
          subscriptionId: SUB,
          resourceGroup: 'dns',
          links: [],
          aRecords: [{ id: `${ZONE}/A/kv1`, name: 'kv1', ips: ['10.0.1.4'], ttl: 10 }],
        },
      ],
    };
    expect(run(checkZoneRecords, exp)).toEqual([]);
  });

  it('an address while nothing is expected says "expected none"', () => {
    const exp = expected([endpoint('pe1', '10.0.1.4', { status: 'Rejected' })]);
    const [f] = run(checkDnsAddress, exp, observed({ os: ['10.0.1.9'] }));
    expect(f?.message).toMatch(/; expected none\.$/);
  });
});
