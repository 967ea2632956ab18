import { checkInput } from '../../src/probe/checks';
import { checkConnectionApproval } from '../../src/probe/checks/connection-approval';
import { checkDataplane } from '../../src/probe/checks/dataplane';
import { checkModelAgrees } from '../../src/probe/checks/model-agrees';
import { checkResolverLoop } from '../../src/probe/checks/resolver-loop';
import type { DataplaneObservation, PrivateDnsZoneRecord, Site } from '../../src/probe/types';
import { CLOUD, endpoint, expected, input, observed, peId, SUB } from './builders';

/**
 * The last survivors of `npm run mutate` in the checks, each pinned by a literal: the endpoint side of an unapproved
 * connection, three data-plane messages, a predicted NXDOMAIN in words, and the names a wildcard rule can catch.
 */
const PE1 = peId('pe1');

describe('PE_CONNECTION_NOT_APPROVED on the endpoint side', () => {
  it('the vault shows Approved, the endpoint reports Rejected: named, the endpoint as the object', () => {
    const ep = endpoint('pe1', '10.0.1.4', { status: 'Approved', peStatus: 'Rejected' });
    expect(checkConnectionApproval(input(expected([ep]), observed()))).toStrictEqual([
      {
        code: 'PE_CONNECTION_NOT_APPROVED',
        severity: 'error',
        message:
          'Private endpoint pe1 reports its auto connection pe1-plsc as Rejected, although the vault shows it Approved.',
        remediation: expect.any(String) as string,
        details: { privateEndpointId: PE1, side: 'endpoint', status: 'Rejected' },
        resourceId: PE1,
        confirm: [
          `az network private-endpoint show --ids '${PE1}' --query "{state:provisioningState, connections:privateLinkServiceConnections[].{status:privateLinkServiceConnectionState.status, state:provisioningState}, nics:networkInterfaces[].id}"`,
        ],
      },
    ]);
  });
});

describe('data-plane messages when little was said', () => {
  const plane = (o: Partial<DataplaneObservation>): DataplaneObservation => ({
    address: '10.0.1.4',
    status: 200,
    networkInfo: `conn_type=PrivateLink;private_endpoint=${PE1};addr=10.0.0.4;`,
    tcpConnectionForbidden: false,
    timings: { totalMs: 1 },
    ...o,
  });
  const run = (o: Partial<DataplaneObservation>) =>
    checkDataplane(input(expected([endpoint('pe1', '10.0.1.4')]), observed({ dataplane: [plane(o)] })));

  it('a 403 without any error code: no code named, the message still whole', () => {
    const [f] = run({ status: 403, networkInfo: undefined });
    expect([f?.code, f?.message]).toEqual([
      'DATAPLANE_FORBIDDEN',
      '10.0.1.4 answered GET /healthstatus with 403 for kv1.vault.azure.net: no message',
    ]);
  });

  it('a connection refused through a proxy: the phase, the code and the proxy', () => {
    const failure = { phase: 'connect', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.1.4:443' } as const;
    const [f] = run({ status: undefined, networkInfo: undefined, failure, via: 'http://proxy:3128' });
    expect([f?.code, f?.message, f?.details]).toEqual([
      'DATAPLANE_UNREACHABLE',
      expect.stringMatching(/ failed during connect: ECONNREFUSED connect ECONNREFUSED 10\.0\.1\.4:443$/),
      { address: '10.0.1.4', phase: 'connect', errorCode: 'ECONNREFUSED', via: 'http://proxy:3128' },
    ]);
  });
});

describe('MODEL_DISAGREES: a predicted NXDOMAIN in words', () => {
  it('the zone linked here lacks the record; an address came back', () => {
    const zone: PrivateDnsZoneRecord = {
      id: '/z',
      name: 'privatelink.vaultcore.azure.net',
      subscriptionId: SUB,
      resourceGroup: 'dns',
      links: [{ id: '/z/virtualNetworkLinks/l', name: 'l', virtualNetworkId: '/v/spoke', resolutionPolicy: undefined }],
      aRecords: [],
    };
    const site: Site = {
      vnetId: '/v/spoke',
      vnet: { id: '/v/spoke', addressPrefixes: [], dnsServers: [], peerings: [] },
    };
    const [f] = checkModelAgrees(
      checkInput({
        cloud: CLOUD,
        expected: { ...expected([endpoint('pe1', '10.2.1.4')]), zones: [zone] },
        observed: observed({ os: ['10.2.1.4'] }),
        site,
      }),
    );
    expect(f?.details).toMatchObject({ predicted: 'NXDOMAIN', observed: '10.2.1.4' });
  });
});

describe('RESOLVER_FORWARDING_LOOP without a zone in view', () => {
  it("a wildcard rule's loop catches no reserved name: only the vault's own name is asked, and it is reserved", () => {
    const HUB = '/v/hub';
    const site: Site = {
      vnetId: '/v/spoke',
      vnet: { id: '/v/spoke', addressPrefixes: ['10.0.0.0/16'], dnsServers: ['10.9.0.4'], peerings: [] },
      inboundEndpoints: [{ id: 'in', ips: ['10.9.0.4'], virtualNetworkId: HUB }],
      resolverRulesets: [
        {
          id: 'rs',
          linkedVnets: [HUB],
          rules: [{ name: 'all', domainName: '.', targets: ['10.9.0.4'], enabled: true }],
        },
      ],
    };
    expect(checkResolverLoop(input(expected([endpoint('pe1', '10.9.1.4')]), observed(), site))).toEqual([]);
  });
});
