import { checkEndpointRead } from '../../src/probe/checks/endpoint-read';
import { checkForeignEndpoint } from '../../src/probe/checks/foreign-endpoint';
import type { ArmReadError, ExpectedEndpoint } from '../../src/probe/types';
import { endpoint, expected, input, observed, peId, SUB } from './builders';

/**
 * ENDPOINT_READ_FAILED and FOREIGN_ENDPOINT as literals when ARM said little: no error code, no message, no status,
 * a connection that names no endpoint. Written for the mutants `npm run mutate` left alive in
 * src/probe/checks/endpoint-read.ts and src/probe/checks/foreign-endpoint.ts.
 */
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`;
const failed = (e: ExpectedEndpoint, error: ArmReadError, more: Partial<ExpectedEndpoint> = {}): ExpectedEndpoint => ({
  ...e,
  endpoint: undefined,
  networkInterfaces: [],
  errors: [error],
  ...more,
});
const unnamed = (e: ExpectedEndpoint): ExpectedEndpoint => ({
  ...e,
  connection: { ...e.connection, privateEndpointId: undefined, status: undefined },
});
const run = (e: ExpectedEndpoint) => checkEndpointRead(input(expected([e]), observed()));

describe('ENDPOINT_READ_FAILED', () => {
  it('a 403 without a code or a message: the status alone, and the remediation about permissions', () => {
    const error: ArmReadError = {
      operation: 'privateEndpoints.get',
      resourceId: peId('pe1'),
      statusCode: 403,
      code: undefined,
      message: '',
    };
    expect(run(failed(endpoint('pe1', '10.0.1.4'), error))).toEqual([
      {
        code: 'ENDPOINT_READ_FAILED',
        severity: 'warning',
        message: 'Could not read pe1 (privateEndpoints.get): 403',
        remediation:
          "Grant Microsoft.Network/privateEndpoints/read and Microsoft.Network/networkInterfaces/read on the endpoint's subscription; without them the endpoint's IP is taken from its connection only.",
        details: { privateEndpointId: peId('pe1'), statusCode: 403, armErrorCode: undefined },
        resourceId: peId('pe1'),
        confirm: [
          `az network private-endpoint show --ids '${peId('pe1')}' --query "{state:provisioningState, connections:privateLinkServiceConnections[].{status:privateLinkServiceConnectionState.status, state:provisioningState}, nics:networkInterfaces[].id}"`,
        ],
      },
    ]);
  });

  it('a failed list that names neither a resource nor, through the connection, an endpoint', () => {
    const error: ArmReadError = {
      operation: 'resources.list',
      resourceId: undefined,
      statusCode: undefined,
      code: 'Throttled',
      message: 'Too many requests',
    };
    const [f, ...rest] = run(unnamed(failed(endpoint('pe1', '10.0.1.4'), error)));
    expect(rest).toEqual([]);
    expect({ message: f?.message, details: f?.details, resourceId: f?.resourceId, confirm: f?.confirm }).toEqual({
      message: 'Could not read (unknown) (resources.list): no status Throttled Too many requests',
      details: { privateEndpointId: '', statusCode: undefined, armErrorCode: 'Throttled' },
      resourceId: undefined,
      confirm: undefined,
    });
  });
});

describe('FOREIGN_ENDPOINT', () => {
  it('a connection with neither an endpoint ID nor a status', () => {
    const error: ArmReadError = {
      operation: 'privateEndpoints.get',
      resourceId: undefined,
      statusCode: 401,
      code: 'InvalidAuthenticationTokenTenant',
      message: 'wrong tenant',
    };
    const e = unnamed(failed(endpoint('pe1', '10.0.1.4'), error, { foreign: 'denied' }));
    expect(checkForeignEndpoint(input(expected([e]), observed()))).toEqual([
      {
        code: 'FOREIGN_ENDPOINT',
        severity: 'info',
        message:
          'Private endpoint (unknown) of vault kv1 (connection Unknown) is foreign: its read was denied (401 InvalidAuthenticationTokenTenant): it belongs to another tenant or is managed by another service. It is left out of what this VNet expects.',
        remediation: expect.any(String) as string,
        details: {
          privateEndpointId: '',
          reason: 'denied',
          statusCode: 401,
          armErrorCode: 'InvalidAuthenticationTokenTenant',
        },
        resourceId: e.connection.id,
        confirm: [
          `az keyvault show --ids '${VAULT}' --query "{uri:properties.vaultUri, publicNetworkAccess:properties.publicNetworkAccess, connections:properties.privateEndpointConnections[].{id:id, endpoint:privateEndpoint.id, status:privateLinkServiceConnectionState.status, state:provisioningState}}"`,
        ],
      },
    ]);
  });
});
