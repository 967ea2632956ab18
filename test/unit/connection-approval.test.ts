import { checkConnectionApproval } from '../../src/probe/checks/connection-approval';
import type { ExpectedEndpoint } from '../../src/probe/types';
import { endpoint, expected, input, observed, SUB } from './builders';

/**
 * The connection-approval check beyond the table in checks.test.ts: the Pending request whose endpoint cannot be read
 * (CONNECTION_REQUEST_PENDING), and the fix offered for each kind of unapproved connection. Written after
 * `npm run mutate` found these lines covered by no unit test; every expectation is a literal.
 */
const OTHER_SUB = '22222222-2222-2222-2222-222222222222';
const CONN = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1/privateEndpointConnections/pe1-conn`;
const SHOW =
  "az keyvault private-endpoint-connection show --vault-name 'kv1' --resource-group 'rg' --name 'pe1-conn' --query \"{endpoint:privateEndpoint.id, status:privateLinkServiceConnectionState.status, description:privateLinkServiceConnectionState.description}\"";

const error = (statusCode: number | undefined): ExpectedEndpoint['errors'][number] => ({
  operation: 'get private endpoint',
  resourceId: 'x',
  statusCode,
  code: 'X',
  message: 'x',
});

/** pe1 of kv1, not read: `foreign` when denied, with these read errors, the connection in `status`. */
function unread(
  status: string,
  errors: ExpectedEndpoint['errors'],
  o: { foreign?: boolean; peSubscription?: string; noEndpointId?: boolean } = {},
): ExpectedEndpoint {
  const base = endpoint('pe1', '10.0.1.4', { status });
  const pe = `/subscriptions/${o.peSubscription ?? SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe1`;
  return {
    ...base,
    connection: { ...base.connection, privateEndpointId: o.noEndpointId ? undefined : pe },
    endpoint: undefined,
    networkInterfaces: [],
    errors,
    ...(o.foreign ? { foreign: 'denied' as const } : {}),
  };
}

const run = (eps: ExpectedEndpoint[]) => checkConnectionApproval(input(expected(eps), observed()));

describe('a Pending connection whose endpoint the probe cannot read', () => {
  it('denied (403) in another subscription: CONNECTION_REQUEST_PENDING, info, no approve or reject command', () => {
    const [f, ...rest] = run([unread('Pending', [error(403)], { foreign: true, peSubscription: OTHER_SUB })]);
    expect(rest).toEqual([]);
    expect(f).toEqual({
      code: 'CONNECTION_REQUEST_PENDING',
      severity: 'info',
      message:
        "Vault kv1 has a Pending connection request pe1-conn from private endpoint pe1 in subscription 22222222-2222-2222-2222-222222222222, which the probe cannot read (its read was denied (403): another tenant's or a service's endpoint). Verify who owns it before approving or rejecting it.",
      remediation: expect.any(String) as string,
      details: {
        privateEndpointId: `/subscriptions/${OTHER_SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe1`,
        connectionId: CONN,
        subscriptionId: OTHER_SUB,
        reason: 'denied',
        statusCode: 403,
      },
      resourceId: CONN,
      confirm: [SHOW],
    });
  });

  it('denied without a status code: the message and details say none', () => {
    const [f] = run([unread('pending', [error(undefined)], { foreign: true })]);
    expect(f?.message).toBe(
      "Vault kv1 has a Pending connection request pe1-conn from private endpoint pe1 in subscription 11111111-1111-1111-1111-111111111111, which the probe cannot read (its read was denied: another tenant's or a service's endpoint). Verify who owns it before approving or rejecting it.",
    );
    expect(f?.details).toEqual({
      privateEndpointId: `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe1`,
      connectionId: CONN,
      subscriptionId: SUB,
      reason: 'denied',
    });
  });

  it('a read that failed (500), not denied: the request is named with the failure', () => {
    const [f] = run([unread('Pending', [error(500)])]);
    expect([f?.code, f?.severity]).toEqual(['CONNECTION_REQUEST_PENDING', 'info']);
    expect(f?.message).toBe(
      'Vault kv1 has a Pending connection request pe1-conn from private endpoint pe1 in subscription 11111111-1111-1111-1111-111111111111, which the probe cannot read (its read failed (500)). Verify who owns it before approving or rejecting it.',
    );
    expect(f?.details).toEqual({
      privateEndpointId: `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe1`,
      connectionId: CONN,
      subscriptionId: SUB,
      reason: 'unreadable',
      statusCode: 500,
    });
  });

  it('a read that failed without a status, and no endpoint ID: no subscription, the connection as the resource', () => {
    const [f] = run([unread('Pending', [error(undefined)], { noEndpointId: true })]);
    expect(f?.message).toBe(
      'Vault kv1 has a Pending connection request pe1-conn from private endpoint (unknown), which the probe cannot read (its read failed). Verify who owns it before approving or rejecting it.',
    );
    expect(f?.details).toEqual({ privateEndpointId: '', connectionId: CONN, reason: 'unreadable' });
    expect(f?.resourceId).toBe(CONN);
  });

  it('a 404 is not a request to review: the endpoint is gone, approving it is offered', () => {
    const [f, ...rest] = run([unread('Pending', [error(404)])]);
    expect(rest).toEqual([]);
    expect([f?.code, f?.severity, f?.fix]).toEqual([
      'PE_CONNECTION_NOT_APPROVED',
      'error',
      ["az keyvault private-endpoint-connection approve --vault-name 'kv1' --resource-group 'rg' --name 'pe1-conn'"],
    ]);
  });

  it('an Approved connection of a foreign endpoint: nothing (FOREIGN_ENDPOINT names it)', () => {
    expect(run([unread('Approved', [error(403)], { foreign: true })])).toEqual([]);
  });

  it('a Rejected connection of a foreign endpoint: not this owner to re-create, nothing', () => {
    expect(run([unread('Rejected', [error(403)], { foreign: true })])).toEqual([]);
  });
});

describe('the fix for a connection that is not approved', () => {
  it('Rejected, its endpoint gone (404): delete the connection left behind', () => {
    const [f] = run([unread('Rejected', [error(404)])]);
    expect(f?.fix).toEqual([
      "az keyvault private-endpoint-connection delete --vault-name 'kv1' --resource-group 'rg' --name 'pe1-conn'",
    ]);
    expect(f?.remediation).toBe(
      "Private endpoint pe1 no longer exists: delete the vault's Rejected connection pe1-conn, which it left behind.",
    );
    expect(f?.confirm).toEqual([SHOW]);
    expect(f?.resourceId).toBe(CONN);
  });

  it('Disconnected, its endpoint read: delete the endpoint and create it again', () => {
    const [f] = run([endpoint('pe1', '10.0.1.4', { status: 'Disconnected' })]);
    expect(f?.fix).toEqual([
      `az network private-endpoint delete --ids '/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe1'`,
    ]);
    expect(f?.remediation).toBe(
      'A Disconnected connection cannot be re-approved: delete private endpoint pe1 and create it again, then approve the new connection.',
    );
    expect(f?.details).toEqual({
      privateEndpointId: `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe1`,
      side: 'vault',
      status: 'Disconnected',
      // The vault's only connection: none is Approved, so the public path's refusal is this finding's (issue 20).
      noApprovedConnection: true,
    });
  });

  it('Disconnected without an endpoint ID, its read failing (500): delete the connection', () => {
    const [f] = run([unread('Disconnected', [error(500)], { noEndpointId: true })]);
    expect(f?.fix).toEqual([
      "az keyvault private-endpoint-connection delete --vault-name 'kv1' --resource-group 'rg' --name 'pe1-conn'",
    ]);
  });

  it('Pending with its endpoint read: approve, and say the endpoint was read and is in scope', () => {
    const [f] = run([endpoint('pe1', '10.0.1.4', { status: 'Pending' })]);
    expect(f?.remediation).toBe(
      'Approve connection pe1-conn on vault kv1: its endpoint pe1 was read, and is in scope.',
    );
    expect(f?.message).toBe('The connection of private endpoint pe1 to vault kv1 is Pending on the vault side.');
  });
});

describe('which connections count, from the survivors of npm run mutate', () => {
  const PE1 = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe1`;

  it('a 404 beside a 500: the read failed, so the request is one to review, named with the 500', () => {
    const [f] = run([unread('Pending', [error(404), error(500)])]);
    expect(f?.code).toBe('CONNECTION_REQUEST_PENDING');
    expect(f?.details).toStrictEqual({
      privateEndpointId: PE1,
      connectionId: CONN,
      subscriptionId: SUB,
      reason: 'unreadable',
      statusCode: 500,
    });
  });

  it('the endpoint was read although another read failed: approving the Pending connection is offered', () => {
    const ep = { ...endpoint('pe1', '10.0.1.4', { status: 'Pending' }), errors: [error(500)] };
    const [f] = run([ep]);
    expect([f?.code, f?.fix]).toEqual([
      'PE_CONNECTION_NOT_APPROVED',
      ["az keyvault private-endpoint-connection approve --vault-name 'kv1' --resource-group 'rg' --name 'pe1-conn'"],
    ]);
  });

  it('a connection without a status is Unknown on the vault side, and not a request to review', () => {
    const base = endpoint('pe1', '10.0.1.4');
    const ep: ExpectedEndpoint = {
      ...unread('x', [error(403)]),
      connection: { ...base.connection, status: undefined },
    };
    const [f, ...rest] = run([ep]);
    expect(rest).toEqual([]);
    expect([f?.code, f?.message]).toEqual([
      'PE_CONNECTION_NOT_APPROVED',
      'The connection of private endpoint pe1 to vault kv1 is Unknown on the vault side.',
    ]);
  });

  it('another connection of the vault is Approved (in any case): no noApprovedConnection in the details', () => {
    const approved = endpoint('pe2', '10.0.1.5', { status: 'APPROVED' });
    const [f, ...rest] = run([approved, endpoint('pe1', '10.0.1.4', { status: 'Pending' })]);
    expect(rest).toEqual([]);
    expect(f?.details).toStrictEqual({ privateEndpointId: PE1, side: 'vault', status: 'Pending' });
  });
});
