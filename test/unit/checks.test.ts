import { compare } from '../../src/probe/checks';
import { checkConnectionApproval } from '../../src/probe/checks/connection-approval';
import { checkDataplane } from '../../src/probe/checks/dataplane';
import { checkDnsAddress } from '../../src/probe/checks/dns-address';
import { checkDnsResolution } from '../../src/probe/checks/dns-resolution';
import { checkEndpointRead } from '../../src/probe/checks/endpoint-read';
import { checkNoPrivateEndpoint } from '../../src/probe/checks/no-private-endpoint';
import { checkPrivatelinkCname } from '../../src/probe/checks/privatelink-cname';
import { checkProvisioning } from '../../src/probe/checks/provisioning';
import { checkProxy } from '../../src/probe/checks/proxy';
import { checkResolversAgree } from '../../src/probe/checks/resolvers-agree';
import type { Check } from '../../src/probe/checks';
import { endpoint, expected, healthyPlane, input, observed, PL } from './builders';

type Row = [string, Check, Parameters<Check>[0], string[]];

const healthy = expected([endpoint('pe1', '10.0.1.4')]);
const codes = (c: Check, i: Parameters<Check>[0]): string[] => c(i).map((f) => `${f.code}:${f.severity}`);

describe('checks, one table per check', () => {
  const rows: Row[] = [
    ['healthy vault: no finding anywhere', compare, input(healthy, observed()), []],
    // NO_PRIVATE_ENDPOINT
    [
      'no connection, public access disabled',
      checkNoPrivateEndpoint,
      input(expected([], 'Disabled'), observed()),
      ['NO_PRIVATE_ENDPOINT:error'],
    ],
    [
      'no connection, public access enabled',
      checkNoPrivateEndpoint,
      input(expected([], 'Enabled'), observed()),
      ['NO_PRIVATE_ENDPOINT:warning'],
    ],
    ['ARM unreadable: nothing to judge', checkNoPrivateEndpoint, input(undefined, observed()), []],
    // PE_CONNECTION_NOT_APPROVED
    [
      'pending, only endpoint',
      checkConnectionApproval,
      input(expected([endpoint('pe1', '10.0.1.4', { status: 'Pending' })]), observed()),
      ['PE_CONNECTION_NOT_APPROVED:error'],
    ],
    [
      'rejected beside a healthy one',
      checkConnectionApproval,
      input(expected([endpoint('pe1', '10.0.1.4'), endpoint('pe2', '10.1.1.4', { status: 'Rejected' })]), observed()),
      ['PE_CONNECTION_NOT_APPROVED:warning'],
    ],
    [
      'endpoint side disconnected, vault side approved',
      checkConnectionApproval,
      input(expected([endpoint('pe1', '10.0.1.4', { peStatus: 'Disconnected' })]), observed()),
      ['PE_CONNECTION_NOT_APPROVED:error'],
    ],
    ['approved everywhere', checkConnectionApproval, input(healthy, observed()), []],
    // PE_NOT_PROVISIONED
    [
      'endpoint Failed',
      checkProvisioning,
      input(expected([endpoint('pe1', '10.0.1.4', { peProvisioning: 'Failed' })]), observed()),
      ['PE_NOT_PROVISIONED:error'],
    ],
    [
      'vault-side connection Updating',
      checkProvisioning,
      input(expected([endpoint('pe1', '10.0.1.4', { provisioning: 'Updating' })]), observed()),
      ['PE_NOT_PROVISIONED:error'],
    ],
    ['all Succeeded', checkProvisioning, input(healthy, observed()), []],
    // DNS_NXDOMAIN / DNS_FAILURE
    [
      'NXDOMAIN from both',
      checkDnsResolution,
      input(
        healthy,
        observed({
          osError: { kind: 'NXDOMAIN', code: 'ENOTFOUND', message: '' },
          dnsError: { kind: 'NXDOMAIN', code: 'ENOTFOUND', message: '' },
        }),
      ),
      ['DNS_NXDOMAIN:error', 'DNS_NXDOMAIN:error'],
    ],
    [
      'SERVFAIL from DNS',
      checkDnsResolution,
      input(healthy, observed({ dnsError: { kind: 'SERVFAIL', code: 'ESERVFAIL', message: '' } })),
      ['DNS_FAILURE:error'],
    ],
    [
      'timeout from the OS',
      checkDnsResolution,
      input(healthy, observed({ osError: { kind: 'TIMEOUT', code: 'ETIMEOUT', message: '' } })),
      ['DNS_FAILURE:error'],
    ],
    // DNS_NO_PRIVATELINK_CNAME
    [
      'no CNAME at all',
      checkPrivatelinkCname,
      input(healthy, observed({ cnames: [] })),
      ['DNS_NO_PRIVATELINK_CNAME:error'],
    ],
    [
      'CNAME elsewhere',
      checkPrivatelinkCname,
      input(healthy, observed({ cnames: ['kv1.vault-cdn.example.net'] })),
      ['DNS_NO_PRIVATELINK_CNAME:error'],
    ],
    [
      'privatelink CNAME present (trailing dot, mixed case)',
      checkPrivatelinkCname,
      input(healthy, observed({ cnames: ['KV1.Privatelink.Vaultcore.Azure.Net.'] })),
      [],
    ],
    [
      'vault without endpoints: CNAME not required',
      checkPrivatelinkCname,
      input(expected([], 'Enabled'), observed({ cnames: [] })),
      [],
    ],
    // DNS_PRIVATE_IP_MISMATCH / DNS_PUBLIC_IP
    [
      'stale private IP',
      checkDnsAddress,
      input(healthy, observed({ os: ['10.0.1.99'] })),
      ['DNS_PRIVATE_IP_MISMATCH:error'],
    ],
    [
      'IP of a pending endpoint of this vault',
      checkDnsAddress,
      input(
        expected([endpoint('pe1', '10.0.1.4'), endpoint('pe2', '10.1.1.4', { status: 'Pending' })]),
        observed({ os: ['10.1.1.4'] }),
      ),
      ['DNS_PRIVATE_IP_MISMATCH:error'],
    ],
    [
      'public IP with an approved endpoint',
      checkDnsAddress,
      input(healthy, observed({ os: ['20.38.1.1'] })),
      ['DNS_PUBLIC_IP:error'],
    ],
    [
      'public IP and no usable endpoint',
      checkDnsAddress,
      input(expected([endpoint('pe1', '10.0.1.4', { status: 'Rejected' })]), observed({ os: ['20.38.1.1'] })),
      [],
    ],
    [
      'OS right, DNS wrong: DNS answer judged too',
      checkDnsAddress,
      input(healthy, observed({ os: ['10.0.1.4'], dns: ['10.0.1.99'] })),
      ['DNS_PRIVATE_IP_MISMATCH:error'],
    ],
    [
      'one of two endpoints',
      checkDnsAddress,
      input(expected([endpoint('pe1', '10.0.1.4'), endpoint('pe2', '10.1.1.4')]), observed({ os: ['10.1.1.4'] })),
      [],
    ],
    // DNS_RESOLVERS_DISAGREE
    [
      'hosts file differs from DNS',
      checkResolversAgree,
      input(healthy, observed({ os: ['10.0.1.77'], dns: ['10.0.1.4'] })),
      ['DNS_RESOLVERS_DISAGREE:warning'],
    ],
    [
      'same sets in another order',
      checkResolversAgree,
      input(healthy, observed({ os: ['10.0.1.5', '10.0.1.4'], dns: ['10.0.1.4', '10.0.1.5'] })),
      [],
    ],
    [
      'one resolver failed: no comparison',
      checkResolversAgree,
      input(healthy, observed({ dnsError: { kind: 'TIMEOUT', code: 'ETIMEOUT', message: '' } })),
      [],
    ],
    // DATAPLANE_*
    [
      'TCP connection forbidden',
      checkDataplane,
      input(
        healthy,
        observed({
          dataplane: [
            {
              address: '10.0.1.4',
              status: 403,
              errorMessage: 'This TCP connection does not allow access to kv1.vault.azure.net.',
              tcpConnectionForbidden: true,
              timings: { totalMs: 1 },
            },
          ],
        }),
      ),
      ['DATAPLANE_TCP_CONNECTION_FORBIDDEN:error'],
    ],
    [
      'ForbiddenByConnection',
      checkDataplane,
      input(
        healthy,
        observed({
          dataplane: [
            {
              address: '20.1.1.1',
              status: 403,
              errorCode: 'Forbidden',
              innerErrorCode: 'ForbiddenByConnection',
              tcpConnectionForbidden: false,
              timings: { totalMs: 1 },
            },
          ],
        }),
      ),
      ['DATAPLANE_FORBIDDEN:error'],
    ],
    [
      'connect refused',
      checkDataplane,
      input(
        healthy,
        observed({
          dataplane: [
            {
              address: '10.0.1.4',
              tcpConnectionForbidden: false,
              failure: { phase: 'connect', code: 'ECONNREFUSED', message: 'refused' },
              timings: { totalMs: 1 },
            },
          ],
        }),
      ),
      ['DATAPLANE_UNREACHABLE:error'],
    ],
    [
      'HTTP 502 from a middlebox',
      checkDataplane,
      input(
        healthy,
        observed({
          dataplane: [{ address: '10.0.1.4', status: 502, tcpConnectionForbidden: false, timings: { totalMs: 1 } }],
        }),
      ),
      ['DATAPLANE_UNREACHABLE:error'],
    ],
    [
      '200 but public client address',
      checkDataplane,
      input(
        healthy,
        observed({
          dataplane: [
            {
              address: '10.0.1.4',
              status: 200,
              networkInfo: 'conn_type=Ipv4;addr=203.0.113.10;act_addr_fam=InterNetwork;',
              tcpConnectionForbidden: false,
              timings: { totalMs: 1 },
            },
          ],
        }),
      ),
      ['DATAPLANE_NOT_PRIVATE:error'],
    ],
    [
      '200 without the network-info header',
      checkDataplane,
      input(
        healthy,
        observed({
          dataplane: [{ address: '10.0.1.4', status: 200, tcpConnectionForbidden: false, timings: { totalMs: 1 } }],
        }),
      ),
      ['DATAPLANE_NOT_PRIVATE:error'],
    ],
    [
      '200 public, vault has no endpoint: as designed',
      checkDataplane,
      input(
        expected([], 'Enabled'),
        observed({
          dataplane: [
            {
              address: '20.1.1.1',
              status: 200,
              networkInfo: 'conn_type=Ipv4;addr=203.0.113.10;',
              tcpConnectionForbidden: false,
              timings: { totalMs: 1 },
            },
          ],
        }),
      ),
      [],
    ],
    ['200 over private link', checkDataplane, input(healthy, observed({ dataplane: [healthyPlane('10.0.1.4')] })), []],
    // PROXY_IN_PATH
    [
      'proxy set',
      checkProxy,
      input(healthy, observed({ proxy: { variable: 'HTTPS_PROXY', value: 'http://proxy:3128', noProxy: undefined } })),
      ['PROXY_IN_PATH:warning'],
    ],
    ['no proxy', checkProxy, input(healthy, observed()), []],
    // ENDPOINT_READ_FAILED
    [
      'endpoint read denied',
      checkEndpointRead,
      input(
        expected([
          {
            ...endpoint('pe1', '10.0.1.4'),
            endpoint: undefined,
            networkInterfaces: [],
            errors: [
              {
                operation: 'get private endpoint',
                resourceId: 'x',
                statusCode: 403,
                code: 'AuthorizationFailed',
                message: 'denied',
              },
            ],
          },
        ]),
        observed(),
      ),
      ['ENDPOINT_READ_FAILED:warning'],
    ],
  ];

  it.each(rows)('%s', (_name, check, i, want) => {
    expect(codes(check, i)).toEqual(want);
  });
});

describe('messages carry the concrete values', () => {
  it('names the stale address, the expected one and the endpoint it belongs to', () => {
    const exp = expected([endpoint('pe1', '10.0.1.4'), endpoint('pe-old', '10.0.1.9', { status: 'Disconnected' })]);
    const [f] = checkDnsAddress(input(exp, observed({ os: ['10.0.1.9'] })));
    expect(f?.message).toBe(
      'kv1.vault.azure.net resolves (the OS resolver) to 10.0.1.9, which is private endpoint pe-old of this vault, whose connection is Disconnected / Succeeded; expected 10.0.1.4.',
    );
  });

  it('gives the approve command with real names for a pending connection', () => {
    const [f] = checkConnectionApproval(
      input(expected([endpoint('pe1', '10.0.1.4', { status: 'Pending' })]), observed()),
    );
    expect(f?.fix).toEqual([
      "az keyvault private-endpoint-connection approve --vault-name 'kv1' --resource-group 'rg' --name 'pe1-conn'",
    ]);
    expect(f?.confirm?.[0]).toMatch(/^az keyvault private-endpoint-connection show --vault-name 'kv1' /);
  });

  it('names the expected privatelink CNAME', () => {
    const [f] = checkPrivatelinkCname(input(healthy, observed({ cnames: [] })));
    expect(f?.details).toEqual({ cnames: [], expectedCname: PL });
  });
});

describe('an endpoint whose IP could not be read', () => {
  it('does not turn the private answer into a mismatch', () => {
    const unread = {
      ...endpoint('pe1', '10.0.1.4'),
      endpoint: undefined,
      networkInterfaces: [],
      errors: [
        {
          operation: 'get private endpoint',
          resourceId: 'x',
          statusCode: 500,
          code: 'InternalServerError',
          message: 'boom',
        },
      ],
    };
    expect(checkDnsAddress(input(expected([unread]), observed({ os: ['10.0.1.4'] })))).toEqual([]);
    expect(checkDnsAddress(input(expected([unread]), observed({ os: ['20.1.1.1'] }))).map((f) => f.code)).toEqual([
      'DNS_PUBLIC_IP',
    ]);
  });
});
