import { checkEndpointRead } from '../../src/probe/checks/endpoint-read';
import { checkForeignEndpoint } from '../../src/probe/checks/foreign-endpoint';
import { checkVaultUri } from '../../src/probe/checks/vault-uri';
import type { ArmReadError, ExpectedEndpoint, ExpectedState } from '../../src/probe/types';
import { endpoint, expected, input, observed, peId, SUB } from './builders';

/**
 * Three checks about what ARM gave: VAULT_URI_MISMATCH, ENDPOINT_READ_FAILED and FOREIGN_ENDPOINT. Written after
 * `npm run mutate` found these lines covered by no unit test; every expectation is a literal.
 */
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`;
const CONN = `${VAULT}/privateEndpointConnections/pe1-conn`;
const NIC = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/networkInterfaces/pe1.nic`;
const SHOW_VAULT = `az keyvault show --ids '${VAULT}' --query "{uri:properties.vaultUri, publicNetworkAccess:properties.publicNetworkAccess, connections:properties.privateEndpointConnections[].{id:id, endpoint:privateEndpoint.id, status:privateLinkServiceConnectionState.status, state:provisioningState}}"`;

const err = (o: Partial<ArmReadError>): ArmReadError => ({
  operation: 'get private endpoint',
  resourceId: peId('pe1'),
  statusCode: 500,
  code: 'InternalServerError',
  message: 'boom',
  ...o,
});
const withErrors = (errors: ArmReadError[], o: Partial<ExpectedEndpoint> = {}): ExpectedState =>
  expected([{ ...endpoint('pe1', '10.0.1.4'), endpoint: undefined, networkInterfaces: [], errors, ...o }]);
const run = <T>(check: (i: ReturnType<typeof input>) => T, exp: ExpectedState | undefined): T =>
  check(input(exp, observed()));

describe('VAULT_URI_MISMATCH', () => {
  it('names both hosts, and the vault', () => {
    const exp = expected([endpoint('pe1', '10.0.1.4')]);
    const [f, ...rest] = run(checkVaultUri, { ...exp, vault: { ...exp.vault, uriHost: 'kv1.vault.example.net' } });
    expect(rest).toEqual([]);
    expect(f).toEqual({
      code: 'VAULT_URI_MISMATCH',
      severity: 'warning',
      message:
        'ARM gives vault kv1 the URI host kv1.vault.example.net, not kv1.vault.azure.net: the probe checked kv1.vault.azure.net, the name Key Vault serves, and ignored the other.',
      remediation: expect.any(String) as string,
      details: { host: 'kv1.vault.azure.net', uriHost: 'kv1.vault.example.net' },
      resourceId: VAULT,
      confirm: [SHOW_VAULT],
    });
  });

  it('no other host, or no ARM: nothing', () => {
    expect(run(checkVaultUri, expected([endpoint('pe1', '10.0.1.4')]))).toEqual([]);
    expect(run(checkVaultUri, undefined)).toEqual([]);
  });
});

describe('ENDPOINT_READ_FAILED', () => {
  it('an endpoint read that failed: its status, code and message, and the endpoint to show', () => {
    const [f, ...rest] = run(checkEndpointRead, withErrors([err({})]));
    expect(rest).toEqual([]);
    expect(f?.message).toBe('Could not read pe1 (get private endpoint): 500 InternalServerError boom');
    expect(f?.details).toEqual({
      privateEndpointId: peId('pe1'),
      statusCode: 500,
      armErrorCode: 'InternalServerError',
    });
    expect(f?.resourceId).toBe(peId('pe1'));
    expect(f?.confirm).toEqual([
      `az network private-endpoint show --ids '${peId('pe1')}' --query "{state:provisioningState, connections:privateLinkServiceConnections[].{status:privateLinkServiceConnectionState.status, state:provisioningState}, nics:networkInterfaces[].id}"`,
    ]);
  });

  it('a NIC read: the NIC to show; no status and no code are said so', () => {
    const [f] = run(
      checkEndpointRead,
      withErrors([
        err({ operation: 'get NIC', resourceId: NIC, statusCode: undefined, code: undefined, message: 'reset' }),
      ]),
    );
    expect(f?.message).toBe('Could not read pe1.nic (get NIC): no status reset');
    expect([f?.resourceId, f?.confirm]).toEqual([NIC, [`az network nic show --ids '${NIC}'`]]);
  });

  it('a failed subscription list (batched inventory): the finding names the endpoint of the connection', () => {
    const sub = `/subscriptions/${SUB}`;
    const [f] = run(checkEndpointRead, withErrors([err({ operation: 'list private endpoints', resourceId: sub })]));
    expect([f?.resourceId, f?.details]).toEqual([
      peId('pe1'),
      { privateEndpointId: peId('pe1'), statusCode: 500, armErrorCode: 'InternalServerError' },
    ]);
  });

  it('a 404: the endpoint is gone, no permission is missing', () => {
    const [f] = run(checkEndpointRead, withErrors([err({ statusCode: 404, code: 'NotFound', message: 'gone' })]));
    expect(f?.remediation).toBe(
      'pe1 does not exist (404): no permission is missing. If the vault still lists a connection to it, delete that connection (see PE_CONNECTION_NOT_APPROVED).',
    );
  });

  it('a foreign endpoint is FOREIGN_ENDPOINT, not a read failure', () => {
    expect(run(checkEndpointRead, withErrors([err({ statusCode: 403 })], { foreign: 'denied' }))).toEqual([]);
  });
});

describe('FOREIGN_ENDPOINT', () => {
  it('names the endpoint, the denial and the vault to show', () => {
    const [f, ...rest] = run(
      checkForeignEndpoint,
      withErrors([err({ statusCode: 403, code: 'AuthorizationFailed' })], { foreign: 'denied' }),
    );
    expect(rest).toEqual([]);
    expect(f).toEqual({
      code: 'FOREIGN_ENDPOINT',
      severity: 'info',
      message:
        'Private endpoint pe1 of vault kv1 (connection Approved) is foreign: its read was denied (403 AuthorizationFailed): it belongs to another tenant or is managed by another service. It is left out of what this VNet expects.',
      remediation: expect.any(String) as string,
      details: {
        privateEndpointId: peId('pe1'),
        reason: 'denied',
        statusCode: 403,
        armErrorCode: 'AuthorizationFailed',
      },
      resourceId: CONN,
      confirm: [SHOW_VAULT],
    });
  });

  it('a denial without status or code says so', () => {
    const [f] = run(
      checkForeignEndpoint,
      withErrors([err({ statusCode: undefined, code: undefined })], { foreign: 'denied' }),
    );
    expect(f?.message).toBe(
      'Private endpoint pe1 of vault kv1 (connection Approved) is foreign: its read was denied (no status): it belongs to another tenant or is managed by another service. It is left out of what this VNet expects.',
    );
    expect(f?.details).toEqual({ privateEndpointId: peId('pe1'), reason: 'denied' });
  });

  it('a Pending request is CONNECTION_REQUEST_PENDING, an endpoint read is none of its business', () => {
    const pending = withErrors([err({ statusCode: 403 })], { foreign: 'denied' });
    const first = pending.endpoints[0] as ExpectedEndpoint;
    const asPending = expected([{ ...first, connection: { ...first.connection, status: 'Pending' } }]);
    expect(run(checkForeignEndpoint, asPending)).toEqual([]);
    expect(run(checkForeignEndpoint, expected([endpoint('pe1', '10.0.1.4')]))).toEqual([]);
  });
});
