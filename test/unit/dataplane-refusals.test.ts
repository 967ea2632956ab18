import { checkDataplane } from '../../src/probe/checks/dataplane';
import type { DataplaneObservation, ExpectedState } from '../../src/probe/types';
import { endpoint, expected, input, observed, peId } from './builders';

/**
 * The data-plane check's refusals beyond dataplane-check.test.ts: a Managed HSM's top-level AccessDenied, the 403 of
 * the authenticated read, and how the address is named (proxy, connect-to). Written after `npm run mutate` found
 * these lines covered by no unit test; every expectation is a literal.
 */
const PRIVATE = `conn_type=PrivateLink;private_endpoint=${peId('pe1')};addr=10.0.0.4;act_addr_fam=InterNetworkV6;`;
const plane = (o: Partial<DataplaneObservation>): DataplaneObservation => ({
  address: '10.0.1.4',
  status: 200,
  networkInfo: PRIVATE,
  tcpConnectionForbidden: false,
  timings: { totalMs: 1 },
  ...o,
});
const vault = expected([endpoint('pe1', '10.0.1.4')]);
const hsm: ExpectedState = { ...vault, vault: { ...vault.vault, kind: 'managedHsm' } };
const run = (exp: ExpectedState, o: Partial<DataplaneObservation>) =>
  checkDataplane(input(exp, observed({ dataplane: [plane(o)] })));
const accessDenied = {
  path: '/secrets',
  status: 403,
  errorCode: 'AccessDenied',
  errorMessage: 'Not authorized',
  tcpConnectionForbidden: false,
};

describe('the authenticated read refused with 403', () => {
  it("a Managed HSM's top-level AccessDenied without an inner error is authorization, past the network", () => {
    expect(run(hsm, { networkInfo: 'addr=10.0.0.4', authenticated: accessDenied })).toEqual([]);
  });

  it('the same answer from a vault, or from an HSM with an inner error, is DATAPLANE_FORBIDDEN', () => {
    const [f, ...rest] = run(vault, { authenticated: accessDenied });
    expect(rest).toEqual([]);
    expect([f?.code, f?.message]).toEqual([
      'DATAPLANE_FORBIDDEN',
      '10.0.1.4 answered the authenticated read with 403 AccessDenied for kv1.vault.azure.net (caller seen as 10.0.0.4, PrivateLink): Not authorized',
    ]);
    expect(f?.details).toEqual({
      address: '10.0.1.4',
      status: 403,
      request: 'authenticated',
      errorCode: 'AccessDenied',
      innerErrorCode: undefined,
      serverMessage: 'Not authorized',
      connType: 'PrivateLink',
      clientAddress: '10.0.0.4',
    });
    const [g] = run(hsm, { networkInfo: 'addr=10.0.0.4', authenticated: { ...accessDenied, innerErrorCode: 'Other' } });
    expect(g?.code).toBe('DATAPLANE_FORBIDDEN');
  });

  it('an accepted inner code over a connection Key Vault refuses is still the TCP refusal', () => {
    const [f] = run(vault, {
      authenticated: {
        ...accessDenied,
        innerErrorCode: 'ForbiddenByRbac',
        tcpConnectionForbidden: true,
        errorMessage: undefined,
      },
    });
    expect(f?.code).toBe('DATAPLANE_TCP_CONNECTION_FORBIDDEN');
    expect(f?.message).toBe(
      `10.0.1.4 answered the authenticated read with 403 "This TCP connection does not allow access" for Host kv1.vault.azure.net: this address does not serve this vault. The connection arrived through private endpoint ${peId('pe1')}.`,
    );
  });
});

describe('how the address is named', () => {
  it('through a proxy: the proxy is named, and blamed for Host or SNI', () => {
    const [f] = run(vault, {
      status: 403,
      tcpConnectionForbidden: true,
      via: 'http://proxy:3128',
      networkInfo: undefined,
    });
    expect(f?.message).toBe(
      '10.0.1.4 through proxy http://proxy:3128 answered GET /healthstatus with 403 "This TCP connection does not allow access": the proxy sends another Host or SNI than kv1.vault.azure.net, or reaches an endpoint that does not serve this vault.',
    );
    expect(f?.details).toMatchObject({ via: 'http://proxy:3128', request: 'healthstatus' });
  });

  it('connected elsewhere (--connect-to): both addresses are named', () => {
    const [f] = run(vault, {
      status: 403,
      tcpConnectionForbidden: true,
      connectedTo: '127.0.0.1:8443',
      networkInfo: undefined,
    });
    expect(f?.message).toBe(
      '10.0.1.4 (connected via 127.0.0.1:8443) answered GET /healthstatus with 403 "This TCP connection does not allow access" for Host kv1.vault.azure.net: this address does not serve this vault.',
    );
  });

  it('an endpoint text that is no resource ID is quoted, not linked', () => {
    const [f] = run(vault, {
      status: 403,
      tcpConnectionForbidden: true,
      errorMessage: 'Denied',
      networkInfo: 'conn_type=PrivateLink;private_endpoint=not-an-id;addr=10.0.0.4;',
    });
    expect(f?.message).toBe(
      '10.0.1.4 answered GET /healthstatus with 403 "Denied" for Host kv1.vault.azure.net: this address does not serve this vault. Key Vault named the endpoint "not-an-id", which is no private endpoint resource ID.',
    );
  });
});
