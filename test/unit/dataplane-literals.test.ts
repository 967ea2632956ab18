import { checkDataplane } from '../../src/probe/checks/dataplane';
import type { Finding } from '../../src/probe/findings';
import type { AddressOwner, DataplaneObservation, ExpectedState } from '../../src/probe/types';
import { endpoint, expected, input, observed, peId, SUB } from './builders';

/**
 * The data-plane check's findings as whole literals (all but the remediation, which is the table's): which answers of
 * the authenticated read pass the network, the 403 refusals of either request, the TCP refusal naming the endpoint
 * the connection landed on and what that endpoint serves, and the fallbacks of each message when the server said
 * little. Written for the mutants `npm run mutate` left alive in src/probe/checks/dataplane.ts.
 */
const ST = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1`;
const KV2 = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv2`;
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`;
const owner = (pe: string, targets: string[]): AddressOwner => ({
  address: '10.0.9.4',
  privateEndpointId: peId(pe),
  networkInterfaceId: `${peId(pe)}.nic`,
  targetResourceIds: targets,
});
/** kv1 with pe1 (10.0.1.4); pe9 is another resource's endpoint serving st1 and kv2. */
const vault: ExpectedState = { ...expected([endpoint('pe1', '10.0.1.4')]), addressOwners: [owner('pe9', [ST, KV2])] };
const hsm: ExpectedState = { ...vault, vault: { ...vault.vault, kind: 'managedHsm' } };
const landedOn = (pe: string): string => `conn_type=PrivateLink;private_endpoint=${peId(pe)};addr=10.0.0.4;`;
const plane = (o: Partial<DataplaneObservation>): DataplaneObservation => ({
  address: '10.0.1.4',
  status: 200,
  networkInfo: landedOn('pe1'),
  tcpConnectionForbidden: false,
  timings: { totalMs: 1 },
  ...o,
});
const bare = (f: Finding): Omit<Finding, 'remediation'> => {
  const { remediation: _remediation, ...rest } = f;
  return rest;
};
const run = (exp: ExpectedState, o: Partial<DataplaneObservation>): Omit<Finding, 'remediation'>[] =>
  checkDataplane(input(exp, observed({ dataplane: [plane(o)] }))).map(bare);
const CURL_HEALTH = "curl -sv --resolve 'kv1.vault.azure.net:443:10.0.1.4' 'https://kv1.vault.azure.net/healthstatus'";
const TCP_REFUSAL = 'This TCP connection does not allow access';

describe('the authenticated read: which statuses passed the network (the landed endpoint is then not blamed)', () => {
  const codes = (status: number): string[] =>
    run(vault, {
      networkInfo: landedOn('pe9'),
      authenticated: { path: '/secrets', status, tcpConnectionForbidden: false },
    }).map((f) => f.code);

  it.each([200, 299, 404])('%i: accepted, so pe9 is only not the preferred endpoint', (status) => {
    expect(codes(status)).toEqual(['DATAPLANE_ENDPOINT_NOT_PREFERRED']);
  });

  it.each([199, 300, 500])('%i: not accepted, so pe9 is blamed as another resource’s endpoint', (status) => {
    expect(codes(status)).toEqual(['DATAPLANE_ENDPOINT_OF_OTHER_RESOURCE']);
  });

  it('the endpoint of another resource, named with what it serves', () => {
    expect(
      run(vault, {
        networkInfo: landedOn('pe9'),
        authenticated: { path: '/secrets', status: 500, tcpConnectionForbidden: false },
      }),
    ).toEqual([
      {
        code: 'DATAPLANE_ENDPOINT_OF_OTHER_RESOURCE',
        severity: 'error',
        message: `The connection to 10.0.1.4 arrived through private endpoint ${peId('pe9')}, which is not one of kv1.vault.azure.net's endpoints (it serves ${ST}, ${KV2}): Key Vault will refuse this vault's calls there with 403 "${TCP_REFUSAL}".`,
        details: {
          address: '10.0.1.4',
          privateEndpointId: peId('pe9'),
          otherResourceIds: [ST, KV2],
          networkInfo: landedOn('pe9'),
        },
        resourceId: peId('pe9'),
        confirm: [
          `az network private-endpoint show --ids '${peId('pe9')}' --query "{state:provisioningState, connections:privateLinkServiceConnections[].{status:privateLinkServiceConnectionState.status, state:provisioningState}, nics:networkInterfaces[].id}"`,
        ],
      },
    ]);
  });

  it('an endpoint nobody is known to own: no "it serves"', () => {
    const [f] = run(vault, { networkInfo: landedOn('pe7') });
    expect(f?.message).toBe(
      `The connection to 10.0.1.4 arrived through private endpoint ${peId('pe7')}, which is not one of kv1.vault.azure.net's endpoints: Key Vault will refuse this vault's calls there with 403 "${TCP_REFUSAL}".`,
    );
    expect(f?.details).toEqual({
      address: '10.0.1.4',
      privateEndpointId: peId('pe7'),
      otherResourceIds: [],
      networkInfo: landedOn('pe7'),
    });
  });
});

describe('403 "This TCP connection does not allow access": the endpoint the connection landed on', () => {
  const refused = (pe: string) =>
    run(vault, { status: 403, tcpConnectionForbidden: true, errorMessage: TCP_REFUSAL, networkInfo: landedOn(pe) });

  it("another resource's endpoint: what it serves, in the message and the details", () => {
    expect(refused('pe9')).toEqual([
      {
        code: 'DATAPLANE_TCP_CONNECTION_FORBIDDEN',
        severity: 'error',
        message: `10.0.1.4 answered GET /healthstatus with 403 "${TCP_REFUSAL}" for Host kv1.vault.azure.net: this address does not serve this vault. The connection arrived through private endpoint ${peId('pe9')}, which serves ${ST}, ${KV2}.`,
        details: {
          address: '10.0.1.4',
          status: 403,
          request: 'healthstatus',
          innerErrorCode: undefined,
          serverMessage: TCP_REFUSAL,
          privateEndpointId: peId('pe9'),
          otherResourceIds: [ST, KV2],
        },
        resourceId: peId('pe9'),
        confirm: [CURL_HEALTH],
      },
    ]);
  });

  it('an endpoint nobody is known to own: named, serving nothing known', () => {
    const [f] = refused('pe7');
    expect(f?.message).toBe(
      `10.0.1.4 answered GET /healthstatus with 403 "${TCP_REFUSAL}" for Host kv1.vault.azure.net: this address does not serve this vault. The connection arrived through private endpoint ${peId('pe7')}.`,
    );
    expect(f?.details).toEqual({
      address: '10.0.1.4',
      status: 403,
      request: 'healthstatus',
      innerErrorCode: undefined,
      serverMessage: TCP_REFUSAL,
      privateEndpointId: peId('pe7'),
      otherResourceIds: [],
    });
  });

  it("the vault's own endpoint: no other resources are looked up", () => {
    const [f] = refused('pe1');
    expect(f?.message).toBe(
      `10.0.1.4 answered GET /healthstatus with 403 "${TCP_REFUSAL}" for Host kv1.vault.azure.net: this address does not serve this vault. The connection arrived through private endpoint ${peId('pe1')}.`,
    );
    expect(f?.details).toEqual({
      address: '10.0.1.4',
      status: 403,
      request: 'healthstatus',
      innerErrorCode: undefined,
      serverMessage: TCP_REFUSAL,
      privateEndpointId: peId('pe1'),
      otherResourceIds: undefined,
    });
  });
});

describe('other 403s', () => {
  it("a Managed HSM's top-level code other than AccessDenied is a refusal", () => {
    expect(
      run(hsm, {
        authenticated: {
          path: '/keys',
          status: 403,
          errorCode: 'Forbidden',
          errorMessage: 'Denied',
          tcpConnectionForbidden: false,
        },
      }),
    ).toEqual([
      {
        code: 'DATAPLANE_FORBIDDEN',
        severity: 'error',
        message:
          '10.0.1.4 answered the authenticated read with 403 Forbidden for kv1.vault.azure.net (caller seen as 10.0.0.4, PrivateLink): Denied',
        details: {
          address: '10.0.1.4',
          status: 403,
          request: 'authenticated',
          errorCode: 'Forbidden',
          innerErrorCode: undefined,
          serverMessage: 'Denied',
          connType: 'PrivateLink',
          clientAddress: '10.0.0.4',
        },
        resourceId: VAULT_ID,
        confirm: [
          "curl -s -i --resolve 'kv1.vault.azure.net:443:10.0.1.4' -H \"Authorization: Bearer $(az account get-access-token --resource 'https://managedhsm.azure.net' --query accessToken -o tsv)\" 'https://kv1.vault.azure.net/keys?maxresults=1&api-version=7.5'",
        ],
      },
    ]);
  });

  it('/healthstatus refused with an authorization code is still a refusal: only the authenticated read is judged for authorization', () => {
    expect(run(vault, { status: 403, innerErrorCode: 'ForbiddenByRbac' })).toEqual([
      {
        code: 'DATAPLANE_FORBIDDEN',
        severity: 'error',
        message:
          '10.0.1.4 answered GET /healthstatus with 403 ForbiddenByRbac for kv1.vault.azure.net (caller seen as 10.0.0.4, PrivateLink): no message',
        details: {
          address: '10.0.1.4',
          status: 403,
          request: 'healthstatus',
          errorCode: undefined,
          innerErrorCode: 'ForbiddenByRbac',
          serverMessage: undefined,
          connType: 'PrivateLink',
          clientAddress: '10.0.0.4',
        },
        resourceId: VAULT_ID,
        confirm: [CURL_HEALTH],
      },
    ]);
  });

  it('a 403 with no code at all, from a caller the header does not name', () => {
    const [f] = run(vault, { status: 403, networkInfo: 'conn_type=PrivateLink;', errorMessage: 'Nope' });
    expect(f?.message).toBe('10.0.1.4 answered GET /healthstatus with 403 for kv1.vault.azure.net: Nope');
  });
});

describe('the fallbacks when the server said little', () => {
  it('an untrusted certificate with neither subject nor issuer', () => {
    expect(
      run(vault, {
        status: undefined,
        networkInfo: undefined,
        failure: { phase: 'tls', code: 'SELF_SIGNED', message: 'self-signed certificate' },
        tls: { authorized: false },
      }),
    ).toEqual([
      {
        code: 'DATAPLANE_TLS_UNTRUSTED',
        severity: 'error',
        message:
          'The certificate on 10.0.1.4 for kv1.vault.azure.net failed verification (SELF_SIGNED): subject unknown, issuer unknown. Nothing was sent over it.',
        details: { address: '10.0.1.4', error: 'SELF_SIGNED', subject: undefined, issuer: undefined },
        resourceId: VAULT_ID,
        confirm: [
          "openssl s_client -connect '10.0.1.4:443' -servername 'kv1.vault.azure.net' -showcerts </dev/null | openssl x509 -noout -subject -issuer",
        ],
      },
    ]);
  });

  it('a 401 with neither code nor message', () => {
    const [f] = run(vault, { authenticated: { path: '/secrets', status: 401, tcpConnectionForbidden: false } });
    expect([f?.code, f?.message]).toEqual([
      'DATAPLANE_TOKEN_REJECTED',
      '10.0.1.4 answered the authenticated read with 401 : no message',
    ]);
  });
});
